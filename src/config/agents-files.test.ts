/**
 * Checks the real agent files in `agents/` against the runtime: every agent the stages need
 * exists, its tools fit its stage, and the paths its prompt says it writes are ones the stage's
 * path policy lets it write, so a prompt and the policy cannot drift apart.
 *
 * Path convention in the prompts:
 * - A backticked repository path that starts with `src/` or `tests/` is a path the agent WRITES,
 *   e.g. `src/databricks/labs/community_connector/sources/{source}/{source}.py`. It must be a full
 *   file path from the repository root (no folder, no glob).
 * - Placeholders: `{source}` stands for the connector (here `acme_crm`), `{table}` for one table.
 * - Paths the agent only reads, or is told not to write, go in a section whose `## ` heading
 *   starts with "You read" or "Do not write"; those sections (up to the next `## ` heading) are
 *   skipped. The read-only self-reviewer keeps every repository path in such sections.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STAGE_AGENTS } from '../agent-runtime/stage-agents.js';
import type { AgentDefinition, ToolName } from '../domain/agents/agent-definition.js';
import { STAGES, type Stage } from '../domain/pipeline/phase.js';
import { buildPathPolicy, checkPath } from '../domain/policy/path-policy.js';
import { loadAgents } from './load-agents.js';

const AGENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'agents');
const SOURCE = 'acme_crm';
const REVIEWER = 'connector-self-reviewer';

const READ_TOOLS = ['list_files', 'read_file', 'search_files', 'submit'] as const;
const WRITE_TOOLS = ['write_file', 'edit_file', 'delete_file'] as const;
const WEB_TOOLS = ['web_search', 'web_fetch'] as const;

/** The tools an agent of each stage may have: only research reaches the web. */
const ALLOWED_TOOLS: Readonly<Record<Stage, readonly string[]>> = {
  research: [...READ_TOOLS, 'write_file', 'edit_file', ...WEB_TOOLS],
  auth: [...READ_TOOLS, ...WRITE_TOOLS],
  implement: [...READ_TOOLS, ...WRITE_TOOLS],
  test: [...READ_TOOLS, ...WRITE_TOOLS],
  docs_spec: [...READ_TOOLS, ...WRITE_TOOLS],
  package: [...READ_TOOLS, ...WRITE_TOOLS],
};
/** Every writing agent needs these. */
const REQUIRED_TOOLS: readonly ToolName[] = ['read_file', 'write_file', 'edit_file', 'submit'];

const SKIPPED_SECTION = /^##\s+(?:You read|Do not write)/i;
const REPO_PATH = /`((?:src|tests)\/[^`\s]+)`/g;

/** The repository paths the prompt claims to write (see the convention above), placeholders filled in. */
function writtenPaths(prompt: string): string[] {
  const paths: string[] = [];
  let skipping = false;
  for (const line of prompt.split('\n')) {
    if (/^##\s/.test(line)) skipping = SKIPPED_SECTION.test(line);
    if (skipping) continue;
    for (const match of line.matchAll(REPO_PATH)) {
      paths.push((match[1] ?? '').replaceAll('{source}', SOURCE).replaceAll('{table}', 'accounts'));
    }
  }
  return paths;
}

function stageOfAgent(name: string): Stage | undefined {
  return STAGES.find((stage) => STAGE_AGENTS[stage].includes(name));
}

describe('the agent files in agents/', async () => {
  const agents = await loadAgents(AGENTS_DIR);
  const get = (name: string): AgentDefinition => {
    const agent = agents.get(name);
    if (agent === undefined) throw new Error(`agents/${name}.md is missing`);
    return agent;
  };
  const stageAgents = STAGES.flatMap((stage) => STAGE_AGENTS[stage].map((name) => ({ stage, name })));

  it('define every agent a stage runs, and the self-reviewer', () => {
    const expected = [...stageAgents.map(({ name }) => name), REVIEWER];
    expect(expected.filter((name) => !agents.has(name))).toEqual([]);
  });

  it('tell every agent to finish with submit', () => {
    for (const agent of agents.values()) {
      expect(agent.tools, agent.name).toContain('submit');
      expect(agent.prompt, agent.name).toContain('`submit`');
    }
  });

  it.each(stageAgents)(
    'give $name only the tools of the $stage stage, including the write tools',
    ({ stage, name }) => {
      const { tools } = get(name);
      expect(tools.filter((tool) => !ALLOWED_TOOLS[stage].includes(tool))).toEqual([]);
      expect(REQUIRED_TOOLS.filter((tool) => !tools.includes(tool))).toEqual([]);
    },
  );

  it.each(stageAgents)('make $name name only paths the $stage policy lets it write', ({ stage, name }) => {
    const policy = buildPathPolicy({ stage, source: SOURCE });
    const paths = writtenPaths(get(name).prompt);
    expect(paths.length, `${name} names no path it writes`).toBeGreaterThan(0);
    expect(paths.filter((path) => /[{}]/.test(path))).toEqual([]);
    const refused = paths
      .map((path) => ({ path, check: checkPath(policy, path) }))
      .filter(({ check }) => !check.ok)
      .map(({ path, check }) => `${path}: ${check.ok ? '' : check.reason}`);
    expect(refused).toEqual([]);
  });

  it('keep README.md and connector_spec.yaml each with one owner in docs_spec', () => {
    const docs = writtenPaths(get('connector-doc-writer').prompt);
    const spec = writtenPaths(get('connector-spec-generator').prompt);
    expect(docs.some((path) => path.endsWith('/README.md'))).toBe(true);
    expect(docs.filter((path) => path.endsWith('/connector_spec.yaml'))).toEqual([]);
    expect(spec.some((path) => path.endsWith('/connector_spec.yaml'))).toBe(true);
    expect(spec.filter((path) => path.endsWith('/README.md'))).toEqual([]);
  });

  it('keep the self-reviewer read-only, outside every stage', () => {
    const reviewer = get(REVIEWER);
    expect(stageOfAgent(REVIEWER)).toBeUndefined();
    expect(reviewer.tools.filter((tool) => (WRITE_TOOLS as readonly string[]).includes(tool))).toEqual([]);
    expect(reviewer.tools.filter((tool) => (WEB_TOOLS as readonly string[]).includes(tool))).toEqual([]);
    expect(writtenPaths(reviewer.prompt)).toEqual([]);
  });

  it('have the convention catch a path outside the policy', () => {
    const prompt = [
      '## You write',
      '- `src/databricks/labs/community_connector/sources/{source}/README.md`',
      '## You read',
      '- `tests/unit/sources/test_suite.py`',
    ].join('\n');
    const [path] = writtenPaths(prompt);
    expect(writtenPaths(prompt)).toHaveLength(1);
    expect(checkPath(buildPathPolicy({ stage: 'implement', source: SOURCE }), path ?? '').ok).toBe(false);
  });
});
