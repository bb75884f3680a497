import { z } from 'zod';
import { DEFAULT_PRICES, PriceTable } from '../domain/accounting/pricing.js';
import { ConfigError } from '../errors.js';
import { OperatorLimitsEnv } from './operator-limits-env.js';
import { withPrivateKey } from './private-key.js';

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).max(1000).default(fallback);

/** The environment the process reads at boot (README, Configuration). */
export const AppEnv = z.object({
  /** The GitHub App's id (from the App's settings page). */
  APP_ID: z.coerce.number({ error: 'is required: the GitHub App id, a number' }).int().positive(),
  /** The App's private key (PEM); `\n` escapes are accepted for one-line env files. */
  PRIVATE_KEY: z
    .string({ error: "is required: the GitHub App's private key (PEM)" })
    .transform((key) => key.replace(/\\n/g, '\n'))
    .pipe(z.string().regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'must be a PEM private key')),
  /** The App's `.pem` file, read into `PRIVATE_KEY` when that is unset (`withPrivateKey`). */
  PRIVATE_KEY_PATH: z.string().optional(),
  /** The secret GitHub signs webhook deliveries with. */
  WEBHOOK_SECRET: z.string({ error: 'is required: the webhook secret set on the GitHub App' }).min(1),
  /**
   * The Anthropic API key the agents run with. Without it the bot still boots, answers and plans
   * (no model needed); every phase then fails at once, saying to set it (`createMissingKeyModel`).
   * An empty value (a `.env` placeholder) counts as unset.
   */
  ANTHROPIC_API_KEY: z.preprocess((value) => (value === '' ? undefined : value), z.string().optional()),
  /** Another Messages API base (a proxy, or a test server). */
  ANTHROPIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The price table (JSON: model id or id prefix → USD per million tokens for `input`, `output`,
   * `cacheWrite`, optional `cacheWrite1h` (default 2× `input`), `cacheRead`, and `webSearchPer1000`)
   * that costs and budgets are computed with.
   * Operators should set current prices; the defaults are list prices at the time of writing.
   */
  MODEL_PRICES: z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined) return DEFAULT_PRICES;
      try {
        const parsed = PriceTable.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
        context.addIssue({
          code: 'custom',
          message: `not a price table: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        });
      } catch {
        context.addIssue({ code: 'custom', message: 'must be JSON' });
      }
      return z.NEVER;
    }),
  /** Where the agent files (`*.md`) are; default: the `agents/` folder of this package. */
  AGENTS_DIR: z.string().min(1).optional(),
  /** Another GitHub API base: GitHub Enterprise Server, or a test server. */
  GITHUB_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Where the webhook server listens. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  WEBHOOK_PATH: z.string().regex(/^\//, 'must start with /').default('/api/github/webhooks'),
  /** A smee.io channel (or any smee server) that forwards GitHub's webhooks to this process. */
  WEBHOOK_PROXY_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://smee.io/abc123' })
    .optional(),
  /** Redis for queues and run state. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  /**
   * Where runs and queues live: `redis`, `disk` (files under `DATA_DIR`, one process, for a trial)
   * or `auto` (Redis when `REDIS_URL` is set or the default address answers, else the disk).
   */
  STORAGE: z.enum(['auto', 'redis', 'disk']).default('auto'),
  /** Folder of the disk storage (`STORAGE=disk`, or `auto` without Redis). */
  DATA_DIR: z.string().min(1).default('.lakeflow-connector-bot'),
  /** Prefix of every Redis key the bot writes (run state and BullMQ queues), so several deployments can share one Redis. */
  KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, `_` or `-`')
    .default('lcb'),
  /** Which parts this process runs: web (webhooks), worker (queues) or all. */
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /** Event jobs processed at once by this process (events of one run are still serialised by its lock). */
  EVENT_CONCURRENCY: positiveInt(4),
  /** Stage (agent) jobs processed at once by this process. */
  PHASE_CONCURRENCY: positiveInt(2),
  /** Seconds between polls of a dispatched CI run (the fallback for a lost `workflow_run` webhook). */
  CI_POLL_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(5, 'must be at least 5 (seconds)')
    .max(3_600)
    .default(60),
  /**
   * Minutes between sweeps of the App's webhook delivery log, redelivering events the bot never
   * acknowledged (a crash while handling them); 0 turns it off. The first sweep runs at boot.
   */
  REDELIVERY_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(1_440).default(10),
  /**
   * Seconds between a run's change and the edit of its repository's dashboard issue, so a burst of
   * changes costs one write; 0 keeps no dashboard issue in any repository.
   */
  DASHBOARD_ISSUE_DELAY_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
  /** Seconds between checks that Redis still holds the bot's data (0: never); see `redis-loss-watch.ts`. */
  REDIS_LOSS_CHECK_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json` (one object per line, for log collectors) or `pretty` (coloured lines, for a terminal). */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /** Login of the BullMQ dashboard at `/admin/queues` (basic auth); set with `DASHBOARD_PASSWORD`, or neither (no dashboard). */
  DASHBOARD_USER: z
    .string()
    .min(1, 'must not be empty (unset it to turn the dashboard off)')
    .regex(/^[^:]*$/, 'must not contain `:` (basic auth splits on it)')
    .optional(),
  /** Password of the BullMQ dashboard; set with `DASHBOARD_USER`. */
  DASHBOARD_PASSWORD: z.string().min(1, 'must not be empty (unset it to turn the dashboard off)').optional(),
  ...OperatorLimitsEnv.shape,
});
export type AppEnv = Readonly<z.infer<typeof AppEnv>>;

/**
 * The dashboard is on only with both credentials; one alone is a half-done deploy, not "off".
 * Checked on the raw environment, so it is listed even when other variables are bad.
 */
function checkDashboardCredentials(env: NodeJS.ProcessEnv): string[] {
  const hasUser = env.DASHBOARD_USER !== undefined;
  if (hasUser === (env.DASHBOARD_PASSWORD !== undefined)) return [];
  const [missing, set] = hasUser
    ? ['DASHBOARD_PASSWORD', 'DASHBOARD_USER']
    : ['DASHBOARD_USER', 'DASHBOARD_PASSWORD'];
  return [`- ${missing}: is required when ${set} is set (the dashboard needs both)`];
}

/** The disk storage is one process: a web-only or worker-only process could not share it. */
function checkDiskRole(env: NodeJS.ProcessEnv): string[] {
  if (env.STORAGE !== 'disk' || env.ROLE === undefined || env.ROLE === 'all') return [];
  return [
    '- ROLE: must be `all` with STORAGE=disk (the disk storage is one process; use Redis to split roles)',
  ];
}

/**
 * Parses the environment once, at boot. Every missing or malformed variable is named in one
 * `ConfigError`, so a misconfigured deploy says exactly what to fix.
 */
export function readEnv(given: NodeJS.ProcessEnv = process.env): AppEnv {
  const env = withPrivateKey(given);
  const parsed = AppEnv.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => `- ${issue.path.join('.')}: ${issue.message}`)),
    ...checkDashboardCredentials(env),
    ...checkDiskRole(env),
  ];
  if (parsed.success && problems.length === 0) return Object.freeze(parsed.data);
  throw new ConfigError(`Invalid environment:\n${problems.join('\n')}`, {
    cause: parsed.success ? undefined : parsed.error,
  });
}
