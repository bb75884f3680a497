import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError } from '../cli-io.js';

/** The flags of `doctor`, validated: the checkout (absolute) and the output format. */
export const DoctorOptions = z.strictObject({
  repo: z.string().min(1),
  json: z.boolean(),
  help: z.boolean(),
});
export type DoctorOptions = z.infer<typeof DoctorOptions>;

/**
 * Parses the arguments after `doctor` (`[--repo DIR] [--json]`, DIR relative to `cwd`); an unknown flag,
 * a missing or empty value, or a positional argument is a `UsageError` naming it.
 */
export function parseDoctorOptions(args: readonly string[], cwd: string): DoctorOptions {
  let values: { repo?: string | undefined; json?: boolean | undefined; help?: boolean | undefined };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        repo: { type: 'string', short: 'C' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(describeParseError(error), { cause: error });
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument: ${positionals.join(' ')} (give the checkout as --repo <dir>)`);
  }
  if (values.repo !== undefined && values.repo.trim() === '') {
    throw new UsageError('--repo needs a folder: --repo <dir>');
  }
  return DoctorOptions.parse({
    repo: resolve(cwd, values.repo ?? '.'),
    json: values.json === true,
    help: values.help === true,
  });
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(message)?.[1];
    if (flag !== undefined) return `unknown option: ${flag}`;
  }
  // `--repo` last, or followed by another flag (`--repo --json`): node says "argument missing"/"ambiguous".
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && message.includes('--repo')) {
    return '--repo needs a folder: --repo <dir>';
  }
  return message.split('\n')[0] ?? message;
}
