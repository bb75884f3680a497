import { connect } from 'node:net';

/** What the process keeps its runs and queues in, and why. */
export type StorageChoice =
  | { kind: 'redis'; url: string }
  | { kind: 'disk'; dir: string; why: 'asked' | 'no_redis' };

/** How long the boot waits for the default Redis address to answer before choosing the disk. */
const PROBE_TIMEOUT_MS = 500;

/**
 * Chooses the storage from the environment: `STORAGE=redis` or a `REDIS_URL` that is set means
 * Redis (which must answer: the boot fails in one line if it does not); `STORAGE=disk` means the
 * disk; otherwise Redis when something answers on the default address, else the disk, for a trial.
 */
export function chooseStorage(params: {
  storage: 'auto' | 'redis' | 'disk';
  redisUrl: string;
  redisUrlSet: boolean;
  dataDir: string;
  /** Whether the default Redis address answers; asked only when it decides. */
  defaultRedisAnswers: () => Promise<boolean>;
}): Promise<StorageChoice> | StorageChoice {
  if (params.storage === 'disk') return { kind: 'disk', dir: params.dataDir, why: 'asked' };
  if (params.storage === 'redis' || params.redisUrlSet) return { kind: 'redis', url: params.redisUrl };
  return params
    .defaultRedisAnswers()
    .then(
      (answers): StorageChoice =>
        answers
          ? { kind: 'redis', url: params.redisUrl }
          : { kind: 'disk', dir: params.dataDir, why: 'no_redis' },
    );
}

/** True when a TCP connection to the URL's host and port opens within half a second. */
export function tcpAnswers(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  const parsed = new URL(url);
  const port = Number(parsed.port === '' ? 6379 : parsed.port);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answers: boolean) => {
      socket.destroy();
      resolve(answers);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
