import { createInterface } from 'node:readline';

/** Reads answers one line at a time. */
export interface LineReader {
  /** The next line, or `null` at the end of input or when `signal` aborts first. */
  next(signal: AbortSignal): Promise<string | null>;
  close(): void;
}

/**
 * A line reader on a stream (the terminal or piped input). The stream is opened on the first
 * question only, so `--yes` never holds standard input open.
 */
export function createLineReader(input: NodeJS.ReadableStream): LineReader {
  let lines: AsyncIterator<string> | null = null;
  let close: () => void = () => undefined;
  return {
    async next(signal) {
      if (signal.aborted) return null;
      if (lines === null) {
        const rl = createInterface({ input, terminal: false });
        lines = rl[Symbol.asyncIterator]();
        close = () => rl.close();
      }
      const current = lines;
      const aborted = new Promise<null>((resolve) =>
        signal.addEventListener('abort', () => resolve(null), { once: true }),
      );
      const line = await Promise.race([
        current.next().then((result) => (result.done ? null : result.value)),
        aborted,
      ]);
      return line;
    },
    close: () => close(),
  };
}
