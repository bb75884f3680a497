import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { parseAgentFile, parseAgentFiles, TOOL_NAMES } from './agent-definition.js';

const FILE = 'agents/connector-dev.md';
const KNOWN = `(known: ${TOOL_NAMES.join(', ')})`;

function agentFile(frontMatter: string, body = 'You write connectors.\n'): string {
  return `---\n${frontMatter}\n---\n${body}`;
}

const VALID = [
  'name: connector-dev',
  'description: Implements a connector.',
  'tools: [list_files, read_file, submit]',
  'model: sonnet',
].join('\n');

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected a ConfigError');
}

describe('parseAgentFile', () => {
  it('parses the front matter and the trimmed body', () => {
    const text = agentFile(VALID, '\n\nYou write connectors.\n\nBe careful.\n\n');

    const agent = parseAgentFile(FILE, text);

    expect(agent).toEqual({
      name: 'connector-dev',
      description: 'Implements a connector.',
      tools: ['list_files', 'read_file', 'submit'],
      model: 'sonnet',
      maxTurns: 40,
      prompt: 'You write connectors.\n\nBe careful.',
    });
  });

  it.each([
    [
      'a comma-separated string',
      'tools: list_files, read_file ,submit,',
      ['list_files', 'read_file', 'submit'],
    ],
    ['a block list', 'tools:\n  - web_search\n  - web_fetch', ['web_search', 'web_fetch']],
    ['a list with a repeat', 'tools: [submit, read_file, submit]', ['submit', 'read_file']],
  ])('reads tools given as %s', (_name, tools, expected) => {
    const text = agentFile(VALID.replace('tools: [list_files, read_file, submit]', tools));

    expect(parseAgentFile(FILE, text).tools).toEqual(expected);
  });

  it.each([
    ['opus', 'opus'],
    ['claude-opus-5-5', 'claude-opus-5-5'],
    ['us.anthropic.claude-haiku-5-5', 'us.anthropic.claude-haiku-5-5'],
  ])('accepts the model %s', (model, expected) => {
    const text = agentFile(VALID.replace('model: sonnet', `model: ${model}`));

    expect(parseAgentFile(FILE, text).model).toBe(expected);
  });

  it('reads max_turns, a BOM and CRLF line endings', () => {
    const text = `\uFEFF${agentFile(`${VALID}\nmax_turns: 120`)}`.replace(/\n/g, '\r\n');

    const agent = parseAgentFile(FILE, text);

    expect(agent.maxTurns).toBe(120);
    expect(agent.prompt).toBe('You write connectors.');
  });

  it.each([
    ['no front matter', 'You write connectors.', 'missing front matter (the file must start with ---)'],
    [
      'an unclosed front matter',
      `---\n${VALID}\nbody`,
      'the front matter is not closed (no line --- after the first)',
    ],
    ['an empty body', agentFile(VALID, '\n  \n'), 'the body (system prompt) is empty'],
    [
      'a list as front matter',
      agentFile('- a\n- b'),
      'front matter: expected a mapping (key: value), got a list',
    ],
    [
      'a string as front matter',
      agentFile('just text'),
      'front matter: expected a mapping (key: value), got string',
    ],
    ['bad YAML', agentFile(`${VALID}\ndescription: [`), 'front matter: line 6, column'],
    [
      'a repeated key',
      agentFile(`${VALID}\nmodel: opus`),
      'front matter: line 6, column 1: Map keys must be unique',
    ],
    ['no name', agentFile(VALID.replace('name: connector-dev\n', '')), 'name: required'],
    [
      'a bad name',
      agentFile(VALID.replace('connector-dev', 'Connector_Dev')),
      'name: expected a kebab-case name',
    ],
    [
      'no description',
      agentFile(VALID.replace('description: Implements a connector.\n', '')),
      'description: required',
    ],
    [
      'an empty description',
      agentFile(VALID.replace('Implements a connector.', '""')),
      'description: required',
    ],
    [
      'a long description',
      agentFile(VALID.replace('Implements a connector.', 'x'.repeat(501))),
      'description: at most 500 characters',
    ],
    ['no tools', agentFile(VALID.replace('tools: [list_files, read_file, submit]\n', '')), 'tools: required'],
    [
      'empty tools',
      agentFile(VALID.replace('[list_files, read_file, submit]', '[]')),
      `tools: expected at least one tool ${KNOWN}`,
    ],
    [
      'an unknown tool',
      agentFile(VALID.replace('read_file, submit', 'run_shell, submit')),
      `tools: unknown tool "run_shell" ${KNOWN}`,
    ],
    [
      'a number as tools',
      agentFile(VALID.replace('[list_files, read_file, submit]', '3')),
      'tools: expected a list of tool names',
    ],
    ['no model', agentFile(VALID.replace('\nmodel: sonnet', '')), 'model: required'],
    [
      'an unknown model',
      agentFile(VALID.replace('model: sonnet', 'model: gpt-5')),
      'model: expected sonnet, opus, haiku',
    ],
    ['max_turns 0', agentFile(`${VALID}\nmax_turns: 0`), 'max_turns: expected a whole number from 1 to 200'],
    [
      'max_turns 201',
      agentFile(`${VALID}\nmax_turns: 201`),
      'max_turns: expected a whole number from 1 to 200',
    ],
    [
      'max_turns as text',
      agentFile(`${VALID}\nmax_turns: "40"`),
      'max_turns: expected a whole number from 1 to 200',
    ],
    [
      'an unknown key',
      agentFile(`${VALID}\nmaxTurns: 3`),
      'maxTurns: unknown key (known: name, description, tools, model, max_turns)',
    ],
  ])('names the file and the field for %s', (_name, text, message) => {
    expect(errorOf(() => parseAgentFile(FILE, text))).toContain(`${FILE}: ${message}`);
  });

  it('lists every problem on its own line', () => {
    const text = agentFile('name: x\ncolour: red', '');

    const message = errorOf(() => parseAgentFile('agents/x.md', text));

    expect(message.split('\n')).toEqual([
      'agents/x.md: description: required',
      'agents/x.md: tools: required',
      'agents/x.md: model: required',
      'agents/x.md: colour: unknown key (known: name, description, tools, model, max_turns)',
      'agents/x.md: the body (system prompt) is empty',
    ]);
  });
});

describe('parseAgentFiles', () => {
  it('maps agents by name in file order', () => {
    const files = [
      { fileName: 'agents/b.md', text: agentFile(VALID.replace('connector-dev', 'tester')) },
      { fileName: 'agents/a.md', text: agentFile(VALID) },
    ];

    const agents = parseAgentFiles(files);

    expect([...agents.keys()]).toEqual(['tester', 'connector-dev']);
  });

  it('names both files of a duplicate name', () => {
    const files = [
      { fileName: 'agents/a.md', text: agentFile(VALID) },
      { fileName: 'agents/b.md', text: agentFile(VALID) },
    ];

    const message = errorOf(() => parseAgentFiles(files));

    expect(message).toBe(
      'agents/b.md: name: "connector-dev" is already the name of the agent in agents/a.md',
    );
  });

  it('reports the problems of every file at once', () => {
    const files = [
      { fileName: 'agents/a.md', text: 'no front matter' },
      { fileName: 'agents/b.md', text: agentFile(VALID) },
      { fileName: 'agents/c.md', text: agentFile(VALID, '') },
    ];

    const message = errorOf(() => parseAgentFiles(files));

    expect(message.split('\n')).toEqual([
      'agents/a.md: missing front matter (the file must start with ---)',
      'agents/c.md: the body (system prompt) is empty',
    ]);
  });
});
