import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type AgentDefinition, parseAgentFiles } from '../domain/agents/agent-definition.js';
import { ConfigError } from '../errors.js';

/**
 * Reads the agent definitions from every `*.md` file directly in `dir` (sorted by name, not recursive,
 * `README.md` excluded) and parses them with {@link parseAgentFiles}, naming each file `<dir name>/<file>`
 * in errors (`agents/connector-dev.md: …`). Throws a `ConfigError` when `dir` is missing, is not a
 * directory or holds no agent file, and for any invalid file.
 */
export async function loadAgents(
  dir: string,
  options: { allowEmpty?: boolean } = {},
): Promise<Map<string, AgentDefinition>> {
  const names = (await listDir(dir))
    .filter(
      (entry) =>
        !entry.isDirectory() && entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md',
    )
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0 && options.allowEmpty) return new Map();
  if (names.length === 0) throw new ConfigError(`The agents directory ${dir} holds no agent file (*.md)`);
  const files = await Promise.all(
    names.map(async (name) => ({
      fileName: `${basename(dir)}/${name}`,
      text: await readFile(join(dir, name), 'utf8'),
    })),
  );
  return parseAgentFiles(files);
}

async function listDir(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT')
      throw new ConfigError(`The agents directory ${dir} does not exist`, { cause: error });
    if (code === 'ENOTDIR')
      throw new ConfigError(`The agents directory ${dir} is not a directory`, { cause: error });
    throw error;
  }
}
