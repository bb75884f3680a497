import { z } from 'zod';
import { RepoConfig } from './repo-config.js';

/** Where the published JSON Schema is checked in, relative to the package root (`npm run schema` writes it). */
export const REPO_CONFIG_SCHEMA_PATH = 'schema/lakeflow-connector-bot.schema.json';

/**
 * The raw URL editors fetch the schema from (the `$schema` line of `templates/lakeflow-connector-bot.yml`).
 * Change it, and that line, if the bot is published under another repository.
 */
export const REPO_CONFIG_SCHEMA_URL =
  'https://raw.githubusercontent.com/databrickslabs/lakeflow-connector-bot/main/schema/lakeflow-connector-bot.schema.json';

/**
 * The JSON Schema of `.github/lakeflow-connector-bot.yml`, generated from `RepoConfig`. It describes the
 * input side: every key is optional and carries its default, so editors complete keys and flag typos.
 */
export function buildRepoConfigJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(RepoConfig, { io: 'input', target: 'draft-2020-12' });
  return { $schema, $id: REPO_CONFIG_SCHEMA_URL, ...schema };
}
