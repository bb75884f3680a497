import { type Logger as PinoLogger, pino } from 'pino';

/** The logger type used everywhere below the composition root. */
export type Logger = PinoLogger;

/**
 * Structured JSON logs. Messages are static strings with details in the object (STYLE.md rule 19);
 * credentials are redacted by path as a second line of defence.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'lakeflow-connector-bot' },
      redact: {
        paths: ['*.token', '*.privateKey', '*.apiKey', '*.password', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    options.destination as pino.DestinationStream | undefined,
  );
}
