import { type Logger as PinoLogger, pino } from 'pino';

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
 * credentials are redacted by path as a second line of defence.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'lakeflow-connector-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination as pino.DestinationStream | undefined,
  );
}

/** The run a log line is about, as people write it: `owner/repo#issue`. */
export function runLogId(ref: { owner: string; repo: string; issue: number }): string {
  return `${ref.owner}/${ref.repo}#${ref.issue}`;
}
