import { parseArgs } from 'node:util';
import { z } from 'zod';

/** What one smoke run asks the bot to build: the request its issue carries. */
export interface SmokeRequest {
  source: string;
  docsUrls: string[];
  /** As typed, comma-separated; empty: research chooses. */
  tables: string;
}

/** Everything the command line sets. */
export interface SmokeOptions {
  owner: string;
  repo: string;
  request: SmokeRequest;
  /** How long research may take, from the `/approve`. */
  researchTimeoutMs: number;
  /** Time between two looks at the issue. */
  pollMs: number;
}

/** The request sent without `--source`: a small, public, documented API research can cover cheaply. */
export const DEFAULT_REQUEST: SmokeRequest = {
  source: 'jsonplaceholder',
  docsUrls: ['https://jsonplaceholder.typicode.com/guide/'],
  tables: 'posts, users',
};

export const DEFAULT_RESEARCH_MINUTES = 20;
export const DEFAULT_POLL_SECONDS = 5;

/** The outcome of reading the command line. */
export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'run'; options: SmokeOptions }
  /** A bad or missing argument: the one line to print before exiting 2. */
  | { kind: 'refuse'; message: string };

const Repo = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/,
    'must be owner/name, e.g. my-org/connectors-scratch',
  );
const Source = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be 2–40 of a-z, 0-9 and _, starting with a letter');
const DocsUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const Minutes = z.coerce.number().int('must be whole minutes').min(1).max(180);
const Seconds = z.coerce.number().min(0.05).max(60);

const Args = z.object({
  repo: Repo,
  source: Source.optional(),
  docs: z.array(DocsUrl).max(20).optional(),
  tables: z.string().max(2_000).optional(),
  'research-minutes': Minutes.default(DEFAULT_RESEARCH_MINUTES),
  'poll-seconds': Seconds.default(DEFAULT_POLL_SECONDS),
});

/**
 * Reads `npm run smoke:live -- …`'s arguments. `--repo` is required: the smoke test opens an issue
 * and spends money there, so it never guesses where. Without `--source` the request is
 * `DEFAULT_REQUEST` (`--docs` and `--tables` replace its parts); with it, only what is given.
 */
export function parseSmokeArgs(argv: readonly string[]): ParsedArgs {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        repo: { type: 'string' },
        source: { type: 'string' },
        docs: { type: 'string', multiple: true },
        tables: { type: 'string' },
        'research-minutes': { type: 'string' },
        'poll-seconds': { type: 'string' },
      },
    }).values;
  } catch (error) {
    return {
      kind: 'refuse',
      message: `${error instanceof Error ? error.message : String(error)} (--help lists the options)`,
    };
  }
  if (values.help === true) return { kind: 'help' };
  if (values.repo === undefined) {
    return {
      kind: 'refuse',
      message:
        'refusing to run without --repo owner/name: the scratch repository the App is installed on, where the smoke test opens an issue and spends one research phase (--help explains)',
    };
  }
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'refuse', message: `--${issue?.path.join('.') ?? '?'} ${issue?.message ?? 'is invalid'}` };
  }
  const args = parsed.data;
  const [owner = '', repo = ''] = args.repo.split('/');
  // Another source brings no documentation links or tables of the default one.
  const base =
    args.source === undefined ? DEFAULT_REQUEST : { source: args.source, docsUrls: [], tables: '' };
  const request: SmokeRequest = {
    source: base.source,
    docsUrls: args.docs ?? base.docsUrls,
    tables: args.tables ?? base.tables,
  };
  return {
    kind: 'run',
    options: {
      owner,
      repo,
      request,
      researchTimeoutMs: args['research-minutes'] * 60_000,
      pollMs: Math.round(args['poll-seconds'] * 1000),
    },
  };
}
