import { z } from 'zod';
import { ConfigError } from '../errors.js';

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).max(1000).default(fallback);

/** The environment the process reads at boot (DESIGN.md §3). */
export const AppEnv = z.object({
  /** Redis for queues and run state. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  /** Which parts this process runs: web (webhooks), worker (queues) or all. */
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /** Event jobs processed at once by this process (events of one run are still serialised by its lock). */
  EVENT_CONCURRENCY: positiveInt(4),
  /** Stage (agent) jobs processed at once by this process. */
  PHASE_CONCURRENCY: positiveInt(2),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type AppEnv = Readonly<z.infer<typeof AppEnv>>;

/**
 * Parses the environment once, at boot. Every missing or malformed variable is named in one
 * `ConfigError`, so a misconfigured deploy says exactly what to fix.
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): AppEnv {
  const parsed = AppEnv.safeParse(env);
  if (parsed.success) return Object.freeze(parsed.data);
  const problems = parsed.error.issues.map((issue) => `- ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid environment:\n${problems.join('\n')}`, { cause: parsed.error });
}
