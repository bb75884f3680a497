import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { STAGES } from '../domain/pipeline/phase.js';
import { DEFAULT_CI_TIMEOUTS, DEFAULT_RUN_SETTINGS, type RunSettings } from '../domain/pipeline/settings.js';
import { isPublicHostname, PUBLIC_HOSTNAME } from '../domain/policy/web-fetch-domains.js';
import { DEFAULT_LAYOUT, LAYOUT_DIR } from '../domain/target-repo/layout.js';
import { ConfigError } from '../errors.js';

/** Where the bot reads its per-repository config, on the default branch. */
export const REPO_CONFIG_PATH = '.github/lakeflow-connector-bot.yml';
/** Larger files are refused before parsing. */
export const MAX_REPO_CONFIG_BYTES = 65_536;
/** Alias expansions `yaml` allows before refusing the file as a resource-exhaustion attack. */
const MAX_ALIAS_COUNT = 50;

const USD = 'expected a positive number of US dollars, at most 10000';
const COUNT = 'expected a whole number from 1 to 20';
const MODEL = 'expected sonnet, opus, haiku or a Claude model id such as claude-sonnet-5-5';
const STAGE = `expected a list of stages from: ${STAGES.join(', ')}`;
const PATH = 'expected a relative path such as tests/unit/sources: no leading /, no .., no hidden folders';

const Login = z
  .string({ error: 'expected a GitHub login' })
  .max(39, 'expected a GitHub login (at most 39 characters)')
  .regex(/^[A-Za-z0-9](?:-?[A-Za-z0-9])*$/, 'expected a GitHub login: letters, digits and single hyphens');
const Logins = z.array(Login, { error: 'expected a list of GitHub logins' }).max(100, 'at most 100 logins');
const ModelId = z
  .string()
  .max(100, MODEL)
  .regex(/^[A-Za-z0-9._:@/-]*claude-[A-Za-z0-9._:@/-]+$/, MODEL);
const ModelChoice = z.union([z.enum(['sonnet', 'opus', 'haiku']), ModelId], { error: MODEL });
const AgentName = z
  .string()
  .max(64, 'agent names are at most 64 characters')
  .regex(/^[a-z][a-z0-9-]*$/, 'agent names are lower-case words joined by -, e.g. connector-dev');
const Label = z
  .string({ error: 'expected a label name' })
  .min(1, 'expected a label name')
  .max(50, 'at most 50 characters');
const RepoPath = z.string({ error: PATH }).max(200, PATH).regex(LAYOUT_DIR, PATH);

function usd(fallback: number) {
  return z.number({ error: USD }).positive(USD).max(10_000, USD).default(fallback);
}

const TOKENS = 'expected a whole number of tokens from 1,000 to 1,000,000,000';
function tokens(fallback: number) {
  return z
    .number({ error: TOKENS })
    .int(TOKENS)
    .min(1_000, TOKENS)
    .max(1_000_000_000, TOKENS)
    .default(fallback);
}

function count(fallback: number) {
  return z.number({ error: COUNT }).int(COUNT).min(1, COUNT).max(20, COUNT).default(fallback);
}

const Budgets = z.strictObject({
  runUsd: usd(DEFAULT_RUN_SETTINGS.budget.runUsd).describe(
    'Most a whole run may spend, in US dollars; when reached the run pauses until /approve raises it.',
  ),
  stageUsd: usd(DEFAULT_RUN_SETTINGS.budget.stageUsd).describe(
    'Most one stage attempt may spend, in US dollars.',
  ),
  raiseStepUsd: usd(DEFAULT_RUN_SETTINGS.budget.raiseStepUsd).describe(
    'How many US dollars /approve adds to a paused budget.',
  ),
  stageTokens: tokens(DEFAULT_RUN_SETTINGS.budget.stageTokens).describe(
    'Most tokens (input, output, cache reads and writes) one stage attempt may use.',
  ),
  runTokens: tokens(DEFAULT_RUN_SETTINGS.budget.runTokens).describe('Most tokens the whole run may use.'),
  raiseStepTokens: tokens(DEFAULT_RUN_SETTINGS.budget.raiseStepTokens).describe(
    'How many tokens /approve adds to a paused token budget.',
  ),
});
const Labels = z.strictObject({
  request: Label.default('lakeflow-connector').describe(
    "The label of a New connector issue; keep it equal to the issue form's labels.",
  ),
  needsLiveTesting: Label.default(DEFAULT_RUN_SETTINGS.needsLiveTestingLabel).describe(
    'Set on the PR when live credentials were skipped (/skip-auth).',
  ),
  selfReviewed: Label.default('connector-self-reviewed').describe(
    "Set on the PR once the bot's self-review is done.",
  ),
});
const Paths = z.strictObject({
  sources: RepoPath.default(DEFAULT_LAYOUT.sources).describe(
    'Folder holding one folder per source connector.',
  ),
  tests: RepoPath.default(DEFAULT_LAYOUT.tests).describe('Folder holding one test folder per source.'),
  simulatorSpecs: RepoPath.default(DEFAULT_LAYOUT.simulatorSpecs).describe(
    'Folder holding one simulator spec folder per source.',
  ),
});
const MINUTES = 'expected a whole number of minutes from 1 to 1440';
function minutes(fallback: number) {
  return z.number({ error: MINUTES }).int(MINUTES).min(1, MINUTES).max(1_440, MINUTES).default(fallback);
}
const Ci = z.strictObject({
  appearTimeoutMinutes: minutes(DEFAULT_CI_TIMEOUTS.appearTimeoutMinutes).describe(
    'Minutes after a dispatch within which the CI run must show up; otherwise the stage fails (is the workflow installed, are Actions on?).',
  ),
  runTimeoutMinutes: minutes(DEFAULT_CI_TIMEOUTS.runTimeoutMinutes).describe(
    'Minutes after a dispatch within which the CI run must finish; otherwise the bot stops waiting and the stage fails.',
  ),
});
const HOST =
  'expected a lower-case host name such as docs.example.com: no scheme, path, port or wildcard (subdomains are included), not an IP address, localhost or an internal name';
const WebFetch = z.strictObject({
  allowedDomains: z
    .array(
      z
        .string({ error: HOST })
        .max(253, HOST)
        .regex(PUBLIC_HOSTNAME, HOST)
        .refine((host) => isPublicHostname(host), HOST),
      { error: 'expected a list of host names' },
    )
    .max(50, 'at most 50 host names')
    .default([])
    .describe(
      "Hosts the research agent's web_fetch may read besides the hosts of the request's documentation links (each covers its subdomains). web_search stays open; with no link and no host here, web_fetch is not offered.",
    ),
});
const Commands = z.strictObject({
  requirePrefix: z
    .boolean({ error: 'expected true or false' })
    .default(false)
    .describe(
      'Whether commands must be written after /lakeflow (/lakeflow approve) here, for a repository where other bots answer /approve, /cancel or /help: bare commands are then left to them, unanswered. /lakeflow <command> works either way; the operator can require it everywhere.',
    ),
});
const ModelIds = z.strictObject({
  sonnet: ModelId.optional().describe('The model id the alias sonnet stands for.'),
  opus: ModelId.optional().describe('The model id the alias opus stands for.'),
  haiku: ModelId.optional().describe('The model id the alias haiku stands for.'),
});

/**
 * The schema of `.github/lakeflow-connector-bot.yml` (docs/maintainer-view.md, Configuration). Every key is optional; unknown keys are
 * errors. Each key's meaning is its `.describe()` text, which also lands in the published JSON Schema
 * (`npm run schema` → `schema/lakeflow-connector-bot.schema.json`).
 */
export const RepoConfig = z
  .strictObject({
    approvers: Logins.default([]).describe(
      'GitHub logins allowed to approve and steer runs besides collaborators with write access.',
    ),
    models: z
      .record(AgentName, ModelChoice)
      .default({})
      .describe(
        'Model per agent (agent file name without .md, e.g. connector-dev): sonnet, opus, haiku or a full Claude model id.',
      ),
    modelIds: ModelIds.default(() => ModelIds.parse({})).describe(
      "Overrides of the model id each alias stands for (the bot's built-in mapping otherwise).",
    ),
    promptCacheTtl: z
      .enum(['5m', '1h'], { error: "expected '5m' or '1h'" })
      .default('1h')
      .describe(
        "How long Anthropic's prompt cache keeps what every agent of a run shares (its tools and the repository context): 1h outlives the wait at a gate (a write costs 2× input, a read 0.1×); 5m writes cost 1.25× and are cheaper only when every gate passes within minutes.",
      ),
    budgets: Budgets.default(() => Budgets.parse({})).describe(
      'Spending limits in US dollars and tokens, per stage attempt and per run.',
    ),
    maxTestIterations: count(DEFAULT_RUN_SETTINGS.maxTestIterations).describe(
      'Test-and-fix rounds (agent fix, then a CI run) before the test stage fails.',
    ),
    maxTablesPerBatch: count(DEFAULT_RUN_SETTINGS.maxTablesPerBatch).describe(
      'Most tables one batch takes from the deferred list.',
    ),
    branchPrefix: z
      .string({ error: 'expected a branch prefix' })
      .max(100, 'at most 100 characters')
      .regex(
        /^(?!.*\.\.)(?!.*\/\/)(?!.*\/\.)(?!.*\.lock\/)\w[\w./-]*[/-]$/,
        'expected a git branch prefix ending in / or -: letters, digits, _ . - /, no spaces, no .. or //',
      )
      .default(DEFAULT_RUN_SETTINGS.branchPrefix)
      .describe('Branch name prefix, ending in / or -; the branch is <prefix><source>.'),
    labels: Labels.default(() => Labels.parse({})).describe('Label names the bot uses.'),
    reviewers: Logins.default([]).describe('GitHub logins asked to review the PR when it is marked ready.'),
    workflow: z
      .string({ error: 'expected a workflow file name' })
      .max(100, 'at most 100 characters')
      .regex(/^[\w.-]+\.ya?ml$/, 'expected a workflow file name such as lakeflow-connector-tests.yml')
      .default('lakeflow-connector-tests.yml')
      .describe(
        'The workflow file (in .github/workflows/) the bot dispatches to run pytest and the package gates.',
      ),
    environment: z
      .string({ error: 'expected an environment name' })
      .max(255, 'at most 255 characters')
      .regex(
        /^[\w.-]+(?: [\w.-]+)*$/,
        'expected an environment name: letters, digits, _ . - and single spaces',
      )
      .default('lakeflow-live')
      .describe('The GitHub environment holding CONNECTOR_TEST_CONFIG_JSON for live and auth runs.'),
    autoApprove: z
      .array(z.enum(STAGES, { error: STAGE }), { error: STAGE })
      .max(STAGES.length, `at most ${STAGES.length} stages`)
      .default([])
      .describe('Stages whose gate passes without a person (never the credentials gate).'),
    selfReview: z
      .boolean({ error: 'expected true or false' })
      .default(true)
      .describe(
        'Whether the bot scores each packaged batch with the repository self-review rubric, posts the result on the PR and labels a passing verdict.',
      ),
    dashboard: z
      .boolean({ error: 'expected true or false' })
      .default(true)
      .describe(
        'Whether the bot keeps one issue listing every connector run of the repository (state, phase, spend, links), edited in place. Closing that issue also pauses it until it is reopened; false leaves an existing one as it is.',
      ),
    ci: Ci.default(() => Ci.parse({})).describe(
      'How long the bot waits for a dispatched CI run (it polls when the workflow_run webhook is lost).',
    ),
    paths: Paths.default(() => Paths.parse({})).describe(
      'Where the connector layout lives, relative to the repository root (for a fork with another layout).',
    ),
    webFetch: WebFetch.default(() => WebFetch.parse({})).describe(
      'Where the research agent may fetch pages from (server-side web_fetch).',
    ),
    commands: Commands.default(() => Commands.parse({})).describe('How people write commands to the bot.'),
  })
  .meta({
    title: 'lakeflow-connector-bot repository config',
    description:
      'The optional file .github/lakeflow-connector-bot.yml on the default branch. Every key is optional; unknown keys are errors.',
  });
export type RepoConfig = z.infer<typeof RepoConfig>;

/** The config of a repository without the file. */
export const DEFAULT_REPO_CONFIG: RepoConfig = Object.freeze(RepoConfig.parse({}));

/** The part of the config a run snapshots when it is planned. */
export function toRunSettings(config: RepoConfig): RunSettings {
  return {
    maxTestIterations: config.maxTestIterations,
    budget: { ...config.budgets },
    autoApprove: [...config.autoApprove],
    maxTablesPerBatch: config.maxTablesPerBatch,
    branchPrefix: config.branchPrefix,
    needsLiveTestingLabel: config.labels.needsLiveTesting,
    reviewers: [...config.reviewers],
    selfReview: config.selfReview,
    selfReviewedLabel: config.labels.selfReviewed,
    ci: { ...config.ci },
    layout: { ...config.paths },
    webFetch: { allowedDomains: [...config.webFetch.allowedDomains] },
    environment: config.environment,
  };
}

/**
 * Parses the text of `.github/lakeflow-connector-bot.yml`; `null` (no file), an empty file or one with only
 * comments gives the defaults. Throws a `ConfigError` listing every problem, each with its path (or its line
 * for YAML syntax), meant to be quoted to the user as is.
 */
export function parseRepoConfig(text: string | null): RepoConfig {
  if (text === null || text.trim() === '') return RepoConfig.parse({});
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_REPO_CONFIG_BYTES) {
    throw configError([`the file is ${bytes} bytes; the limit is ${MAX_REPO_CONFIG_BYTES} (64 KB)`]);
  }
  const document = readYaml(text);
  if (document === null) return RepoConfig.parse({});
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw configError([
      `(top level): expected a mapping of settings (key: value), got ${describeValue(document)}`,
    ]);
  }
  const parsed = RepoConfig.safeParse(document, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw configError(parsed.error.issues.flatMap(formatIssue), parsed.error);
}

function readYaml(text: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: MAX_ALIAS_COUNT, logLevel: 'error' });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      const where = at ? `line ${at.line}, column ${at.col}` : 'YAML';
      throw configError(
        [`${where}: ${error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')}`],
        error,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw configError([`(top level): the YAML could not be read: ${reason}`], error);
  }
}

function configError(problems: string[], cause?: unknown): ConfigError {
  const list = problems.map((problem) => `- ${problem}`).join('\n');
  return new ConfigError(`Invalid ${REPO_CONFIG_PATH}:\n${list}`, { cause });
}

/** The keys each object of the schema accepts, by path, to list them when a key is unknown. */
const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(RepoConfig.shape),
  budgets: Object.keys(Budgets.shape),
  labels: Object.keys(Labels.shape),
  paths: Object.keys(Paths.shape),
  modelIds: Object.keys(ModelIds.shape),
  ci: Object.keys(Ci.shape),
  webFetch: Object.keys(WebFetch.shape),
  commands: Object.keys(Commands.shape),
};

function formatIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    const known = KNOWN_KEYS[issue.path.join('.')] ?? [];
    const hint = known.length > 0 ? `; known keys: ${known.join(', ')}` : '';
    return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key${hint}`);
  }
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  const got = issue.input === undefined ? '' : `, got ${describeValue(issue.input)}`;
  return [`${formatPath(issue.path)}: ${message}${got}`];
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (!/^[A-Za-z_][\w-]*$/.test(name)) return `[${JSON.stringify(name)}]`;
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
