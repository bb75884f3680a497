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
      // One listener per question, removed once it is answered: a long run asks many questions on
      // the same signal, and leftover listeners would pile up (Node warns past ten).
      let onAbort: () => void = () => undefined;
      const aborted = new Promise<null>((resolve) => {
        onAbort = () => resolve(null);
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        return await Promise.race([
          current.next().then((result) => (result.done ? null : result.value)),
          aborted,
        ]);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
    close: () => close(),
  };
}
