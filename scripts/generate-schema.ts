/**
 * `npm run schema`: writes schema/lakeflow-connector-bot.schema.json from the zod schema RepoConfig,
 * formatted the way Biome checks it. test/static/repo-config-schema.test.ts fails when the two drift.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildRepoConfigJsonSchema, REPO_CONFIG_SCHEMA_PATH } from '../src/config/repo-config-json-schema.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = fileURLToPath(new URL(`../${REPO_CONFIG_SCHEMA_PATH}`, import.meta.url));

writeFileSync(target, `${JSON.stringify(buildRepoConfigJsonSchema(), null, 2)}\n`);
execFileSync('npx', ['biome', 'format', '--write', REPO_CONFIG_SCHEMA_PATH], { cwd: root, stdio: 'inherit' });
console.log(`wrote ${REPO_CONFIG_SCHEMA_PATH}`);
