import { type Logger as PinoLogger, pino } from 'pino';
import pretty from 'pino-pretty';

/** The logger type used everywhere below the composition root. */
export type Logger = PinoLogger;

/**
 * Fields that hold credentials, wherever they appear one or two levels down (pino's `*` matches one
 * key). Octokit errors carry the request (`err.request.headers.authorization`); Probot and HTTP
 * logs carry `req.headers`.
 */
const REDACTED_PATHS = [
  'token',
  '*.token',
  'privateKey',
  '*.privateKey',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'webhookSecret',
  '*.webhookSecret',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
  'err.request.headers.authorization',
  'err.cause.request.headers.authorization',
];

/**
 * Structured JSON logs. Messages are static strings with details in the object (docs/architecture.md, Logging);
 * credentials are redacted by path as a second line of defence. `format: 'pretty'` (`LOG_FORMAT`)
 * renders the same records as coloured lines for a person at a terminal (pino-pretty, in process
 * and synchronous, so nothing is lost on exit); redaction applies before either.
 */
export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream; format?: 'json' | 'pretty' } = {},
): Logger {
  const json = options.destination as pino.DestinationStream | undefined;
  const destination =
    options.format === 'pretty'
      ? pretty({
          sync: true,
          colorize: options.destination === undefined && process.stdout.isTTY === true,
          ignore: 'pid,hostname,app',
          ...(options.destination === undefined ? {} : { destination: options.destination }),
        })
      : json;
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'lakeflow-connector-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}

/** The run a log line is about, as people write it: `owner/repo#issue`. */
export function runLogId(ref: { owner: string; repo: string; issue: number }): string {
  return `${ref.owner}/${ref.repo}#${ref.issue}`;
}
