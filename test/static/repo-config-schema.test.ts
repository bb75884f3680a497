import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_REPO_CONFIG, parseRepoConfig, RepoConfig } from '../../src/config/repo-config.js';
import {
  buildRepoConfigJsonSchema,
  REPO_CONFIG_SCHEMA_PATH,
  REPO_CONFIG_SCHEMA_URL,
} from '../../src/config/repo-config-json-schema.js';

const root = new URL('../../', import.meta.url);
const checkedIn: unknown = JSON.parse(readFileSync(new URL(REPO_CONFIG_SCHEMA_PATH, root), 'utf8'));
const templateText = readFileSync(new URL('templates/lakeflow-connector-bot.yml', root), 'utf8');

/** A commented-out setting: `# key: value` or `#   nested: value`, never an explanation sentence. */
const SETTING_LINE = /^# ( *[A-Za-z]\w*:(?: .*)?)$/;

/** The template with every commented-out setting switched on: the defaults, written out in full. */
function uncommentSettings(text: string): string {
  return text
    .split('\n')
    .map((line) => SETTING_LINE.exec(line)?.[1] ?? line)
    .join('\n');
}

type JsonSchemaNode = { properties?: Record<string, JsonSchemaNode>; additionalProperties?: unknown };

/** Every key path of `value` that `schema` does not declare (free-form maps are not descended). */
function undeclaredKeys(value: unknown, schema: JsonSchemaNode, at = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  if (schema.properties === undefined) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childSchema = schema.properties?.[key];
    if (childSchema === undefined) return [`${at}${key}`];
    return undeclaredKeys(child, childSchema, `${at}${key}.`);
  });
}

describe(REPO_CONFIG_SCHEMA_PATH, () => {
  it('is the schema generated from RepoConfig', () => {
    const upToDate = isDeepStrictEqual(checkedIn, buildRepoConfigJsonSchema());

    expect(upToDate, `${REPO_CONFIG_SCHEMA_PATH} is out of date: run npm run schema`).toBe(true);
  });

  it('declares every top-level key with a description and leaves every key optional', () => {
    const schema = buildRepoConfigJsonSchema() as JsonSchemaNode & { required?: string[] };

    expect(Object.keys(schema.properties ?? {})).toEqual(Object.keys(RepoConfig.shape));
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      expect((property as { description?: string }).description, key).toMatch(/\w{3,}/);
    }
    expect(schema.required).toBeUndefined();
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('templates/lakeflow-connector-bot.yml', () => {
  const settings: unknown = parse(uncommentSettings(templateText));

  it('points editors at the published schema on its first line', () => {
    expect(templateText.split('\n')[0]).toBe(`# yaml-language-server: $schema=${REPO_CONFIG_SCHEMA_URL}`);
  });

  it('is all comments, so a repository that keeps it gets the defaults', () => {
    expect(parse(templateText)).toBeNull();
    expect(parseRepoConfig(templateText)).toEqual(DEFAULT_REPO_CONFIG);
  });

  it('lists every key at its default once uncommented, which the zod schema accepts', () => {
    expect(settings).toEqual(DEFAULT_REPO_CONFIG);
    expect(RepoConfig.safeParse(settings).success).toBe(true);
  });

  it('uses only keys the JSON Schema declares', () => {
    expect(undeclaredKeys(settings, checkedIn as JsonSchemaNode)).toEqual([]);
  });
});
