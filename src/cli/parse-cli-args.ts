import { parseArgs } from 'node:util';
import { UsageError } from './cli-io.js';

/** The boolean flags a subcommand accepts, by long name (`dry-run` → `--dry-run`). */
export type FlagSpec = Readonly<Record<string, { readonly short?: string }>>;

/** A subcommand's arguments: its flags (absent = false) and positionals. */
export interface ParsedArgs<Flags extends FlagSpec> {
  readonly flags: { readonly [name in keyof Flags]: boolean };
  readonly positionals: readonly string[];
}

/**
 * Parses a subcommand's arguments strictly: an unknown flag, a value given to a flag, or more positionals
 * than `maxPositionals` is a `UsageError` naming it.
 */
export function parseCliArgs<Flags extends FlagSpec>(
  args: readonly string[],
  spec: { flags: Flags; maxPositionals: number },
): ParsedArgs<Flags> {
  const options = Object.fromEntries(
    Object.entries(spec.flags).map(([name, { short }]) => [
      name,
      short === undefined ? { type: 'boolean' as const } : { type: 'boolean' as const, short },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error), { cause: error });
  }
  if (parsed.positionals.length > spec.maxPositionals) {
    const extra = parsed.positionals.slice(spec.maxPositionals).join(' ');
    throw new UsageError(`unexpected argument: ${extra}`);
  }
  const flags = Object.fromEntries(
    Object.keys(spec.flags).map((name) => [name, parsed.values[name] === true]),
  ) as { [name in keyof Flags]: boolean };
  return { flags, positionals: parsed.positionals };
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(message)?.[1];
    return flag === undefined ? message : `unknown option: ${flag}`;
  }
  return message.split('\n')[0] ?? message;
}
