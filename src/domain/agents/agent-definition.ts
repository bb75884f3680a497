import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../errors.js';

/** The tools an agent file may name: the workspace tools, the final `submit`, and the server tools. */
export const TOOL_NAMES = [
  'list_files',
  'read_file',
  'search_files',
  'write_file',
  'edit_file',
  'delete_file',
  'submit',
  'web_search',
  'web_fetch',
] as const;
export const ToolName = z.enum(TOOL_NAMES);
export type ToolName = z.infer<typeof ToolName>;

/** The model aliases an agent file or the repo config may use instead of a full model id. */
export const MODEL_ALIASES = ['sonnet', 'opus', 'haiku'] as const;
export const ModelAlias = z.enum(MODEL_ALIASES);
export type ModelAlias = z.infer<typeof ModelAlias>;

/** Turns an agent gets when its file sets no `max_turns`. */
export const DEFAULT_MAX_TURNS = 40;

const NAME = 'expected a kebab-case name such as connector-dev (at most 64 characters)';
const MODEL = `expected ${MODEL_ALIASES.join(', ')} or a Claude model id such as claude-sonnet-5-5`;
const TOOLS = 'expected a list of tool names, or one comma-separated string of them';
const TURNS = 'expected a whole number from 1 to 200';
const KNOWN_TOOLS = `(known: ${TOOL_NAMES.join(', ')})`;

/** `required` when the key is absent, else `message`. */
function orRequired(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : message);
}

const AgentName = z
  .string({ error: orRequired(NAME) })
  .max(64, NAME)
  .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, NAME);
const Description = z
  .string({ error: orRequired('expected a text') })
  .trim()
  .min(1, 'required')
  .max(500, 'at most 500 characters');
const ModelChoice = z.union(
  [
    ModelAlias,
    z
      .string()
      .max(100, MODEL)
      .regex(/^[A-Za-z0-9._:@/-]*claude-[A-Za-z0-9._:@/-]+$/, MODEL),
  ],
  { error: orRequired(MODEL) },
);
const ToolList = z
  .array(
    z.enum(TOOL_NAMES, {
      error: (issue) => `unknown tool ${JSON.stringify(issue.input)} ${KNOWN_TOOLS}`,
    }),
  )
  .min(1, `expected at least one tool ${KNOWN_TOOLS}`);
const MaxTurns = z.number({ error: TURNS }).int(TURNS).min(1, TURNS).max(200, TURNS);

/** One agent, as defined by a markdown file with YAML front matter in `agents/`. */
export const AgentDefinition = z.object({
  name: AgentName,
  description: Description,
  /** Without duplicates, in the file's order. */
  tools: ToolList,
  /** An alias (see {@link MODEL_ALIASES}) or a full model id; the repo config may override it. */
  model: ModelChoice,
  maxTurns: MaxTurns.default(DEFAULT_MAX_TURNS),
  /** The system prompt: the file's body, trimmed. */
  prompt: z.string().trim().min(1),
});
export type AgentDefinition = z.infer<typeof AgentDefinition>;

const FrontMatter = z.strictObject({
  name: AgentName,
  description: Description,
  tools: z
    .union([z.array(z.string()), z.string()], { error: orRequired(TOOLS) })
    .transform((tools) => [...new Set(typeof tools === 'string' ? splitToolList(tools) : tools)])
    .pipe(ToolList),
  model: ModelChoice,
  max_turns: MaxTurns.optional(),
});
const FRONT_MATTER_KEYS = Object.keys(FrontMatter.shape).join(', ');

function splitToolList(tools: string): string[] {
  return tools
    .split(',')
    .map((tool) => tool.trim())
    .filter((tool) => tool !== '');
}

/**
 * Parses an agent file: `---`, YAML front matter (`name`, `description`, `tools`, `model`, optional
 * `max_turns`), `---`, then the system prompt. Throws a `ConfigError` with one line per problem, each
 * naming the file and the field, e.g. `agents/x.md: tools: unknown tool "run_shell" (known: …)`.
 */
export function parseAgentFile(fileName: string, text: string): AgentDefinition {
  const problems = (list: string[]) =>
    new ConfigError(list.map((problem) => `${fileName}: ${problem}`).join('\n'));
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') throw problems(['missing front matter (the file must start with ---)']);
  const end = lines.findIndex((line, index) => index > 0 && line.trimEnd() === '---');
  if (end === -1) throw problems(['the front matter is not closed (no line --- after the first)']);

  const document = readFrontMatter(lines.slice(1, end).join('\n'), problems);
  if (document !== null && (typeof document !== 'object' || Array.isArray(document))) {
    throw problems([
      `front matter: expected a mapping (key: value), got ${Array.isArray(document) ? 'a list' : typeof document}`,
    ]);
  }
  const prompt = lines
    .slice(end + 1)
    .join('\n')
    .trim();
  const parsed = FrontMatter.safeParse(document ?? {});
  const errors = parsed.success ? [] : parsed.error.issues.flatMap(formatIssue);
  if (prompt === '') errors.push('the body (system prompt) is empty');
  if (!parsed.success || errors.length > 0) throw problems(errors);

  const { max_turns: maxTurns, ...fields } = parsed.data;
  return AgentDefinition.parse({ ...fields, maxTurns, prompt });
}

function readFrontMatter(yaml: string, problems: (list: string[]) => ConfigError): unknown {
  try {
    return parseYaml(yaml, { maxAliasCount: 50, logLevel: 'error' });
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const at = error.linePos?.[0];
    // +1: the opening --- is the file's first line.
    const where = at ? `line ${at.line + 1}, column ${at.col}` : 'YAML';
    const reason = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
    throw problems([`front matter: ${where}: ${reason}`]);
  }
}

function formatIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${key}: unknown key (known: ${FRONT_MATTER_KEYS})`);
  }
  // The front matter is flat: its key names the field, even for a problem with one item of `tools`.
  const field = issue.path.length > 0 ? String(issue.path[0]) : 'front matter';
  return [`${field}: ${issue.message}`];
}

/**
 * Parses every agent file into a map by agent `name`, in the given order. Throws one `ConfigError`
 * listing the problems of all files, including two files giving the same `name`.
 */
export function parseAgentFiles(
  files: ReadonlyArray<{ fileName: string; text: string }>,
): Map<string, AgentDefinition> {
  const agents = new Map<string, AgentDefinition>();
  const fileOf = new Map<string, string>();
  const problems: string[] = [];
  for (const { fileName, text } of files) {
    try {
      const agent = parseAgentFile(fileName, text);
      const first = fileOf.get(agent.name);
      if (first === undefined) {
        agents.set(agent.name, agent);
        fileOf.set(agent.name, fileName);
      } else {
        problems.push(`${fileName}: name: "${agent.name}" is already the name of the agent in ${first}`);
      }
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return agents;
}
