import type { Redis } from 'ioredis';
import { sumUsage } from '../../domain/accounting/spend.js';
import { Usage } from '../../domain/pipeline/run.js';
import type { SpendLedger } from '../../ports/spend-ledger.js';

/** How long a job's ledger is kept after its last turn (its result is reported long before). */
const LEDGER_TTL_SECONDS = 30 * 24 * 3600;

/** The hash of one stage job's turns: field = turn id, value = that turn's usage as JSON. */
export function spendLedgerKey(jobId: string, prefix = 'lcb:'): string {
  return `${prefix}spend:${jobId}`;
}

/**
 * The `SpendLedger` on Redis: one hash per stage job, one field per model turn written with
 * `HSETNX` (a turn is never counted twice), kept 30 days. A value that does not parse (another
 * deploy's format) counts as nothing rather than failing the job.
 */
export function createRedisSpendLedger(redis: Redis, options: { prefix?: string } = {}): SpendLedger {
  const keyOf = (jobId: string) => spendLedgerKey(jobId, options.prefix);
  return {
    async record(jobId, turnId, usage) {
      const key = keyOf(jobId);
      await redis.multi().hsetnx(key, turnId, JSON.stringify(usage)).expire(key, LEDGER_TTL_SECONDS).exec();
    },
    async total(jobId) {
      const values = await redis.hvals(keyOf(jobId));
      const turns = values.flatMap((value) => {
        try {
          const parsed = Usage.safeParse(JSON.parse(value));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      });
      return { usage: sumUsage(turns), turns: values.length };
    },
  };
}
