import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { Effect } from '../../domain/pipeline/effects.js';
import { Run, type RunRef, type RunStatusKind } from '../../domain/pipeline/run.js';
import { InvariantError, RunLockedError, StateConflictError } from '../../errors.js';
import type { RunRecord, RunStore } from '../../ports/run-store.js';

/** Applied event ids kept per run, newest last. */
export const APPLIED_EVENT_IDS_MAX = 100;

/** One run as stored under its key: the JSON a Redis string holds. */
export const StoredRunRecord = z.object({
  version: z.number().int().positive(),
  run: Run,
  outbox: z.object({ eventId: z.string(), effects: z.array(Effect) }).nullable(),
  appliedEventIds: z.array(z.string()).max(APPLIED_EVENT_IDS_MAX),
});
export type StoredRunRecord = z.infer<typeof StoredRunRecord>;

/** Options of `createRedisRunStore`; the defaults suit production. */
export interface RedisRunStoreOptions {
  /** Prepended to every key (default `lcb:`); tests use a unique one. */
  prefix?: string;
  /** Lock time to live, renewed every third of it while the critical section runs (default 15 s: a dead holder blocks its run that long). */
  lockTtlMs?: number;
  /** How long `withLock` waits for a busy lock before `StateConflictError` (default 5 s). */
  lockWaitMs?: number;
  /** Poll interval while waiting for a lock (default 50 ms). */
  lockPollMs?: number;
  /** Told when a lock could not be renewed or released; the TTL then frees it. */
  logger?: { warn(details: object, message: string): void };
}

const DEFAULT_PREFIX = 'lcb:';
const ENDED_STATUSES: ReadonlySet<RunStatusKind> = new Set<RunStatusKind>(['done', 'cancelled']);

/**
 * The key holding a run: `<prefix>run:{<installation>:<owner>/<repo>}:<issue>`. The braces are a
 * Redis Cluster hash tag: a run and its repository's index share a slot, as one script needs.
 */
export function runKey(ref: RunRef, prefix = DEFAULT_PREFIX): string {
  return `${prefix}run:{${ref.installationId}:${ref.owner}/${ref.repo}}:${ref.issue}`;
}

/** The key of a run's lock. */
export function runLockKey(ref: RunRef, prefix = DEFAULT_PREFIX): string {
  return `${prefix}lock:{${ref.installationId}:${ref.owner}/${ref.repo}}:${ref.issue}`;
}

/**
 * The sorted set of a repository's runs: member = issue number, score = the run's last update
 * (epoch ms), trimmed to the newest `RUNS_INDEX_KEPT` on every save. Runs saved before it existed
 * join it at their next save; active ones are listed from `activeRunsKey` meanwhile.
 */
export function repoRunsKey(
  repo: { installationId: number; owner: string; repo: string },
  prefix = DEFAULT_PREFIX,
): string {
  return `${prefix}runs:{${repo.installationId}:${repo.owner}/${repo.repo}}`;
}

/** Runs a repository's index keeps (the most recently updated); active runs are listed besides. */
export const RUNS_INDEX_KEPT = 500;

/** The hash of a repository's active runs: field = source, value = issue number. */
export function activeRunsKey(
  repo: { installationId: number; owner: string; repo: string },
  prefix = DEFAULT_PREFIX,
): string {
  return `${prefix}active:{${repo.installationId}:${repo.owner}/${repo.repo}}`;
}

/**
 * The `RunStore` on Redis. A save is one Lua script: compare the stored version, write the record
 * with version + 1, and keep the repository's active-source index in step, so the index can never
 * disagree with the runs. Records are validated on the way in (a bug must not write garbage) and
 * on the way out (an older deploy may have written something else).
 */
export function createRedisRunStore(redis: Redis, options: RedisRunStoreOptions = {}): RunStore {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const lockTtlMs = options.lockTtlMs ?? 15_000;
  const lockWaitMs = options.lockWaitMs ?? 5_000;
  const lockPollMs = options.lockPollMs ?? 50;

  async function acquire(key: string, ref: RunRef): Promise<string> {
    const token = randomUUID();
    const deadline = performance.now() + lockWaitMs;
    for (;;) {
      if ((await redis.set(key, token, 'PX', lockTtlMs, 'NX')) === 'OK') return token;
      if (performance.now() >= deadline) {
        throw new RunLockedError(`Run ${describe(ref)} stayed locked for ${lockWaitMs} ms`);
      }
      await sleep(lockPollMs);
    }
  }

  return {
    async load(ref) {
      const key = runKey(ref, prefix);
      const raw = await redis.get(key);
      if (raw === null) return null;
      const { version, run, outbox, appliedEventIds } = parseStored(key, raw);
      return { version, run, outbox, appliedEventIds };
    },

    async save(ref, record, expectedVersion) {
      const key = runKey(ref, prefix);
      const stored = toStoredRecord(key, ref, record, expectedVersion);
      const active = ENDED_STATUSES.has(stored.run.status.kind) ? '0' : '1';
      const updated = Date.parse(stored.run.updatedAt);
      const score = Number.isFinite(updated) ? updated : 0;
      const args = [
        expectedVersion,
        JSON.stringify(stored),
        stored.run.source,
        ref.issue,
        active,
        score,
        RUNS_INDEX_KEPT,
      ];
      const keys = [key, activeRunsKey(ref, prefix), repoRunsKey(ref, prefix)];
      const reply = await redis.eval(SAVE_RUN_LUA, keys.length, ...keys, ...args);
      const [outcome, version] = parseSaveReply(key, reply);
      if (outcome === 'corrupt') throw new InvariantError(`Run record at ${key} is not JSON with a version`);
      if (outcome === 'conflict') {
        const found = `expected version ${expectedVersion}, found ${version}`;
        throw new StateConflictError(`Run ${describe(ref)} was saved by someone else: ${found}`);
      }
      return version;
    },

    async withLock(ref, fn) {
      const key = runLockKey(ref, prefix);
      const token = await acquire(key, ref);
      let finished = false;
      const renewal = setInterval(
        () => {
          redis.eval(LOCK_RENEW_LUA, 1, key, token, lockTtlMs).then(
            (renewed) => {
              if (renewed !== 1 && !finished) options.logger?.warn({ key }, 'Run lock lost while held');
            },
            (err: unknown) => options.logger?.warn({ err, key }, 'Could not renew run lock'),
          );
        },
        Math.max(1, Math.floor(lockTtlMs / 3)),
      );
      try {
        return await fn();
      } finally {
        finished = true;
        clearInterval(renewal);
        // Compare-and-delete: a lock that expired and was taken by someone else is theirs.
        await redis.eval(LOCK_RELEASE_LUA, 1, key, token).catch((err: unknown) => {
          options.logger?.warn({ err, key }, 'Could not release run lock; it expires on its own');
        });
      }
    },

    async findActiveRun(params) {
      const key = activeRunsKey(params, prefix);
      const value = await redis.hget(key, params.source);
      if (value === null) return null;
      const issue = Number(value);
      if (!Number.isSafeInteger(issue) || issue <= 0) {
        throw new InvariantError(`Active run index ${key} holds "${value}" for ${params.source}`);
      }
      return { installationId: params.installationId, owner: params.owner, repo: params.repo, issue };
    },

    async listRuns(repo, { recent }) {
      const [newest, active] = await Promise.all([
        recent > 0 ? redis.zrevrange(repoRunsKey(repo, prefix), 0, recent - 1) : Promise.resolve([]),
        redis.hvals(activeRunsKey(repo, prefix)),
      ]);
      const issues = [...new Set([...newest, ...active])]
        .map(Number)
        .filter((issue) => Number.isSafeInteger(issue) && issue > 0);
      if (issues.length === 0) return [];
      const keys = issues.map((issue) => runKey({ ...repo, issue }, prefix));
      const raws = await redis.mget(...keys);
      const runs: Run[] = [];
      raws.forEach((raw, index) => {
        const key = keys[index] ?? '';
        if (raw === null) return;
        try {
          runs.push(parseStored(key, raw).run);
        } catch (err) {
          options.logger?.warn({ err, key }, 'Run record unreadable; left out of the list');
        }
      });
      return runs;
    },
  };
}

/** Validates a record before it is written: a bug must not write garbage. */
function toStoredRecord(
  key: string,
  ref: RunRef,
  record: RunRecord,
  expectedVersion: number,
): StoredRunRecord {
  const result = StoredRunRecord.safeParse({
    version: expectedVersion + 1,
    run: record.run,
    outbox: record.outbox,
    appliedEventIds: record.appliedEventIds.slice(-APPLIED_EVENT_IDS_MAX),
  });
  if (!result.success) {
    const issues = z.prettifyError(result.error);
    throw new InvariantError(`Refusing to save an invalid run at ${key}:\n${issues}`, {
      cause: result.error,
    });
  }
  if (!isSameRef(result.data.run.ref, ref)) {
    throw new InvariantError(`Refusing to save run ${describe(result.data.run.ref)} at ${key}`);
  }
  return result.data;
}

function parseStored(key: string, raw: string): StoredRunRecord {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new InvariantError(`Run record at ${key} is not valid JSON`, { cause: error });
  }
  const result = StoredRunRecord.safeParse(json);
  if (!result.success) {
    const issues = z.prettifyError(result.error);
    throw new InvariantError(`Run record at ${key} does not match the schema:\n${issues}`, {
      cause: result.error,
    });
  }
  return result.data;
}

const SaveReply = z.tuple([z.enum(['ok', 'conflict', 'corrupt']), z.coerce.number().int()]);

function parseSaveReply(key: string, reply: unknown): z.infer<typeof SaveReply> {
  const result = SaveReply.safeParse(reply);
  if (!result.success) throw new InvariantError(`Unexpected reply saving ${key}: ${JSON.stringify(reply)}`);
  return result.data;
}

function isSameRef(a: RunRef, b: RunRef): boolean {
  return (
    a.installationId === b.installationId && a.owner === b.owner && a.repo === b.repo && a.issue === b.issue
  );
}

function describe(ref: RunRef): string {
  return `${ref.owner}/${ref.repo}#${ref.issue} (installation ${ref.installationId})`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * KEYS: run, active index, runs index. ARGV: expected version, record JSON, source, issue, active
 * ('1'/'0'), last update (epoch ms), runs kept in the runs index.
 * Replies `{outcome, version}`: `ok` with the new version, `conflict` with the stored one.
 * The index entry of a source the run no longer has (an edited request) is dropped too.
 */
const SAVE_RUN_LUA = `
local current = 0
local oldSource = false
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, old = pcall(cjson.decode, raw)
  if not ok or type(old) ~= 'table' or type(old.version) ~= 'number' then return {'corrupt', 0} end
  current = old.version
  if type(old.run) == 'table' and type(old.run.source) == 'string' then oldSource = old.run.source end
end
if current ~= tonumber(ARGV[1]) then return {'conflict', current} end
redis.call('SET', KEYS[1], ARGV[2])
if oldSource and oldSource ~= ARGV[3] and redis.call('HGET', KEYS[2], oldSource) == ARGV[4] then
  redis.call('HDEL', KEYS[2], oldSource)
end
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
elseif redis.call('HGET', KEYS[2], ARGV[3]) == ARGV[4] then
  redis.call('HDEL', KEYS[2], ARGV[3])
end
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[7]) + 1))
return {'ok', current + 1}
`;

/** KEYS: lock. ARGV: token, ttl. Extends the lock only while this token holds it. */
const LOCK_RENEW_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS: lock. ARGV: token. Deletes the lock only while this token holds it. */
const LOCK_RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
