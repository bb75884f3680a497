import { connectorPaths } from '../target-repo/connector-paths.js';
import { buildStageFacts } from '../pipeline/events.js';
import { findSection, listedNames } from '../target-repo/markdown.js';
import { codeList, result, shown, type VerifyInput, type VerifyResult } from './types.js';

const TABLES_HEADING = /^(\d+[.)]?\s*)?(object list|tables|supported (objects|tables))\b/i;
const AUTH_HEADING = /^(\d+[.)]?\s*)?(authori[sz]ation|authentication|auth)\b/i;
const DEFERRED_HEADING = /^(\d+[.)]?\s*)?deferred tables\b/i;

const AUTH_KINDS: [RegExp, string][] = [
  [/oauth\s*2?(\.0)?/i, 'OAuth 2.0'],
  [/api[\s_-]?key/i, 'API key'],
  [/basic auth|username and password/i, 'basic auth'],
  [/bearer|access token|personal access token|api token/i, 'bearer token'],
];

/** The auth method a section documents: an explicit `Method:` line, else the first known kind it names. */
function authMethodOf(body: string): string | null {
  const explicit = /^\s*[-*]?\s*\**(?:auth(?:entication)? )?method\**\s*:\**\s*(.+)$/im.exec(body)?.[1];
  if (explicit) return explicit.replace(/[*`]/g, '').trim().slice(0, 200);
  return AUTH_KINDS.find(([pattern]) => pattern.test(body))?.[1] ?? null;
}

/** Research is done when `{s}_api_doc.md` lists tables, documents one auth method and has a Deferred Tables section. */
export function verifyResearch(input: VerifyInput): VerifyResult {
  const path = connectorPaths(input.source).apiDoc;
  const file = shown(path);
  const text = input.files.get(path);
  if (text === undefined) return { ok: false, problems: [`${file} is missing.`] };
  const problems: string[] = [];
  const tablesSection = findSection(text, TABLES_HEADING);
  const authSection = findSection(text, AUTH_HEADING);
  const deferredSection = findSection(text, DEFERRED_HEADING);
  const deferred = deferredSection ? listedNames(deferredSection.body) : [];
  const listed = tablesSection ? listedNames(tablesSection.body) : [];
  const tables = listed.filter((table) => !deferred.includes(table));
  const authMethod = authSection ? authMethodOf(authSection.body) : null;
  if (!tablesSection) problems.push(`${file} has no tables section (an "Object List" or "Tables" heading).`);
  else if (tables.length === 0) {
    problems.push(`${file}: the "${tablesSection.heading}" section lists no lower-snake-case table names.`);
  }
  if (!authSection) problems.push(`${file} has no "Authorization" section.`);
  else if (!authMethod) {
    problems.push(`${file}: the "${authSection.heading}" section does not name an authentication method.`);
  }
  if (!deferredSection) {
    problems.push(`${file} has no "Deferred Tables" section (it may say "None").`);
  }
  const missing = input.batchTables.filter((table) => !listed.includes(table) && !deferred.includes(table));
  if (missing.length > 0) {
    problems.push(
      `${file} documents neither as a table nor as deferred the requested table(s) ${codeList(missing)}.`,
    );
  }
  return result(problems, () =>
    buildStageFacts({ tables, deferredTables: deferred, authMethod, files: [path] }),
  );
}
