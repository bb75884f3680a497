import { buildStageFacts } from '../pipeline/events.js';
import { AUTH_HEADING, apiDocProblems } from '../target-repo/checks/docs.js';
import { connectorPaths } from '../target-repo/connector-paths.js';
import { findSection, listedNames, mentions } from '../target-repo/markdown.js';
import { readConnector } from '../target-repo/read-connector.js';
import { codeList, result, shown, type VerifyInput, type VerifyResult } from './types.js';

const TABLES_HEADING =
  /^(\d+[.)]?\s*)?(object list|tables|supported (objects|tables)|connector tables|objects supported|objects)\b/i;
const DISCOVERY_HEADING = /^(\d+[.)]?\s*)?(discovery|schema discovery|discovery model)\b/i;
const DEFERRED_HEADING = /^(\d+[.)]?\s*)?deferred (tables|objects)\b/i;

const AUTH_KINDS: [RegExp, string][] = [
  [/oauth\s*2?(\.0)?/i, 'OAuth 2.0'],
  [/api[\s_-]?key/i, 'API key'],
  [/\bbasic\b|username and password/i, 'basic auth'],
  [/bearer|access token|personal access token|api token|\bpat\b/i, 'bearer token'],
  [/\bjwt\b|service account/i, 'service account (JWT)'],
  [/no auth(entication)?|anonymous/i, 'none'],
];

/** The auth method a section documents: an explicit `Method:` line, else the first known kind it names. */
function authMethodOf(body: string): string | null {
  const explicit = /^\s*[-*]?\s*\**(?:auth(?:entication)? )?method\**\s*:\**\s*(.+)$/im.exec(body)?.[1];
  if (explicit) return explicit.replace(/[*`]/g, '').trim().slice(0, 200);
  return AUTH_KINDS.find(([pattern]) => pattern.test(body))?.[1] ?? null;
}

/**
 * Research is done when `{s}_api_doc.md` passes the merged-connector doc check (it exists and
 * documents authentication), names every requested table, and lists the tables it proposes (an
 * object list, or a discovery model for APIs whose tables are found at run time). A "Deferred
 * Tables" section is optional; what it lists is left for a later batch.
 */
export function verifyResearch(input: VerifyInput): VerifyResult {
  const path = connectorPaths(input.source, input.layout).apiDoc;
  const file = shown(path);
  const text = input.files.get(path);
  if (text === undefined) return { ok: false, problems: [`${file} is missing.`] };
  const model = readConnector({ source: input.source, files: new Map([[path, text]]), layout: input.layout });
  const problems: string[] = apiDocProblems(model).map((p) => p.message);
  const tablesSection = findSection(text, TABLES_HEADING);
  const deferredSection = findSection(text, DEFERRED_HEADING);
  const deferred = deferredSection ? listedNames(deferredSection.body) : [];
  const listed = tablesSection ? listedNames(tablesSection.body).filter((t) => !deferred.includes(t)) : [];
  const requested = input.batchTables.filter((table) => !deferred.includes(table));
  const tables = [...new Set([...listed, ...requested])];
  if (tables.length === 0 && !findSection(text, DISCOVERY_HEADING)) {
    problems.push(
      `${file} proposes no tables: list them under an "Object List" (or "Tables") heading, or describe a "Discovery model" for tables found at run time.`,
    );
  }
  const missing = input.batchTables.filter((table) => !mentions(text, table));
  if (missing.length > 0)
    problems.push(`${file} does not document the requested table(s) ${codeList(missing)}.`);
  const authSection = findSection(text, AUTH_HEADING);
  return result(problems, () =>
    buildStageFacts({
      tables,
      deferredTables: deferred,
      authMethod: authSection ? authMethodOf(authSection.body) : null,
      files: [path],
    }),
  );
}
