import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadAgents } from './load-agents.js';

function agentFile(name: string): string {
  return `---\nname: ${name}\ndescription: The ${name} agent.\ntools: read_file, submit\nmodel: haiku\n---\nYou are ${name}.\n`;
}

describe('loadAgents', () => {
  let root: string;
  let dir: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'load-agents-'));
    dir = join(root, 'agents');
    await mkdir(dir);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads every agent file in name order, skipping README.md, other files and folders', async () => {
    await writeFile(join(dir, 'tester.md'), agentFile('tester'));
    await writeFile(join(dir, 'connector-dev.md'), agentFile('connector-dev'));
    await writeFile(join(dir, 'README.md'), '# Agents\n');
    await writeFile(join(dir, 'notes.txt'), 'not an agent');
    await mkdir(join(dir, 'nested.md'));
    await mkdir(join(dir, 'more'));
    await writeFile(join(dir, 'more', 'deep.md'), agentFile('deep'));

    const agents = await loadAgents(dir);

    expect([...agents.keys()]).toEqual(['connector-dev', 'tester']);
    expect(agents.get('tester')).toEqual({
      name: 'tester',
      description: 'The tester agent.',
      tools: ['read_file', 'submit'],
      model: 'haiku',
      maxTurns: 40,
      prompt: 'You are tester.',
    });
  });

  it.each([
    [
      'an invalid file by its folder and name',
      'x.md',
      agentFile('x').replace('submit', 'run_shell'),
      /^agents\/x\.md: tools: unknown tool "run_shell"/,
    ],
    [
      'a duplicate name by both files',
      'z.md',
      agentFile('a'),
      /^agents\/z\.md: name: "a" is already the name of the agent in agents\/a\.md$/,
    ],
  ])('reports %s', async (_name, fileName, text, message) => {
    await writeFile(join(dir, 'a.md'), agentFile('a'));
    await writeFile(join(dir, fileName), text);

    const load = loadAgents(dir);

    await expect(load).rejects.toBeInstanceOf(ConfigError);
    await expect(load).rejects.toThrow(message);
  });

  it.each([
    ['is missing', 'does not exist', async () => join(root, 'missing')],
    [
      'is a file',
      'is not a directory',
      async () => writeFile(join(root, 'f'), 'x').then(() => join(root, 'f')),
    ],
    [
      'holds no agent file',
      'holds no agent file (*.md)',
      async () => writeFile(join(dir, 'README.md'), '#').then(() => dir),
    ],
  ])('throws a ConfigError naming the directory when it %s', async (_name, reason, arrange) => {
    const path = await arrange();

    const load = loadAgents(path);

    await expect(load).rejects.toBeInstanceOf(ConfigError);
    await expect(load).rejects.toThrow(`The agents directory ${path} ${reason}`);
  });
});
