import type { QueueName } from '../adapters/queue/queues.js';
import type { AppEnv } from '../config/env.js';

/** The body of `/healthz`. It names no hosts, URLs or errors: only what is up. */
export interface HealthReport {
  /** `ok` when Redis answers and every queue is open; `degraded` otherwise (HTTP 503). */
  status: 'ok' | 'degraded';
  /** `latencyMs` is the PING round trip, `null` when Redis did not answer. */
  redis: { ok: boolean; latencyMs: number | null };
  queues: Record<QueueName, { ok: boolean }>;
  role: AppEnv['ROLE'];
}

/** What the health check probes; each probe is bounded by `timeoutMs`. */
export interface HealthProbes {
  pingRedis: () => Promise<void>;
  checkQueues: (timeoutMs: number) => Promise<Record<QueueName, boolean>>;
  role: AppEnv['ROLE'];
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 1_000;

/** Builds the `/healthz` check: Redis PING and the queues, in parallel, each within the timeout. */
export function createHealthCheck(probes: HealthProbes): () => Promise<HealthReport> {
  const timeoutMs = probes.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async function checkHealth() {
    const [latencyMs, queues] = await Promise.all([
      timePing(probes.pingRedis, timeoutMs),
      probes.checkQueues(timeoutMs).catch(() => ({ events: false, phases: false })),
    ]);
    const ok = latencyMs !== null && queues.events && queues.phases;
    return {
      status: ok ? 'ok' : 'degraded',
      redis: { ok: latencyMs !== null, latencyMs },
      queues: { events: { ok: queues.events }, phases: { ok: queues.phases } },
      role: probes.role,
    };
  };
}

/** The PING round trip in ms, or `null` when it failed or took longer than `timeoutMs`. */
async function timePing(ping: () => Promise<void>, timeoutMs: number): Promise<number | null> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  const answered = ping().then(
    () => Math.round((performance.now() - started) * 10) / 10,
    () => null,
  );
  try {
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
