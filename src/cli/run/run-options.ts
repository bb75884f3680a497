import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AppEnv } from '../../config/env.js';
import { parseConnectorRequest } from '../../domain/intake/parse-connector-request.js';
import { UsageError } from '../cli-io.js';
import { buildIssueBody } from './build-issue-body.js';

/** The flags of `run`, validated. */
export const RunOptions = z.object({
  source: z.string().min(1).optional(),
  tables: z.string().default(''),
  docs: z.array(z.string()).default([]),
  notes: z.string().max(20_000).default(''),
  repo: z.string().min(1),
  yes: z.boolean().default(false),
  resume: z.boolean().default(false),
});
export type RunOptions = z.infer<typeof RunOptions>;

/** Parses the arguments after `run`; every problem is a `UsageError` naming it. */
export function parseRunOptions(args: readonly string[], cwd: string): RunOptions {
  let values: Record<string, unknown>;
  try {
    const parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        source: { type: 'string', short: 's' },
        tables: { type: 'string', short: 't' },
        docs: { type: 'string', multiple: true },
        notes: { type: 'string' },
        repo: { type: 'string', short: 'C' },
        yes: { type: 'boolean', short: 'y' },
        resume: { type: 'boolean' },
      },
    });
    values = parsed.values;
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new UsageError(message, { cause: error });
  }
  const docs = (values.docs as string[] | undefined)
    ?.flatMap((item) => item.split(','))
    .map((url) => url.trim())
    .filter(Boolean);
  const parsed = RunOptions.safeParse({
    ...values,
    docs,
    repo: resolve(cwd, (values.repo as string | undefined) ?? '.'),
  });
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  if (!parsed.data.resume && parsed.data.source === undefined) {
    throw new UsageError('--source is required (or --resume to go on with a stopped run)');
  }
  if (
    parsed.data.resume &&
    (parsed.data.tables !== '' || parsed.data.docs.length > 0 || parsed.data.notes !== '')
  ) {
    throw new UsageError(
      '--resume goes on with the stored request: --tables, --docs and --notes cannot change it',
    );
  }
  return parsed.data;
}

/**
 * A new run's request as the issue body it stands for, with its source name, read by the issue form's parser so the source, tables and
 * links are checked exactly as an issue's are (every problem is a `UsageError`); `null` with
 * `--resume`, which goes on with the stored request.
 */
export function requestBody(options: RunOptions): { body: string; source: string } | null {
  if (options.resume) return null;
  const body = buildIssueBody({
    source: options.source ?? '',
    docsUrls: options.docs,
    tables: options.tables,
    notes: options.notes,
  });
  const parsed = parseConnectorRequest(body);
  if (!parsed.ok) {
    throw new UsageError(parsed.errors.map((error) => `${error.field}: ${error.message}`).join('\n'));
  }
  return { body, source: parsed.request.source };
}

/** The environment `run` reads: the model's key and base URL, prices, agents, and the Python for the local CI. */
export const RunEnv = z.object({
  ANTHROPIC_API_KEY: z.string({ error: 'is required: the Anthropic API key the agents use' }).min(1),
  ANTHROPIC_BASE_URL: AppEnv.shape.ANTHROPIC_BASE_URL,
  MODEL_PRICES: AppEnv.shape.MODEL_PRICES,
  AGENTS_DIR: AppEnv.shape.AGENTS_DIR,
  /** The interpreter the local CI runs pytest with. */
  PYTHON: z.string().min(1).default('python3'),
  /** The bot's own log lines (to stderr); off unless asked for. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('silent'),
});
export type RunEnv = z.infer<typeof RunEnv>;

/** Parses the environment; every missing or malformed variable is named in one `UsageError`. */
export function readRunEnv(env: NodeJS.ProcessEnv): RunEnv {
  const parsed = RunEnv.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new UsageError(`the environment is not usable for run:\n${problems.join('\n')}`);
}
