import { assertNever } from '../assert-never.js';
import type { StageFacts } from '../pipeline/events.js';
import type { Stage } from '../pipeline/phase.js';
import { shortPath } from '../target-repo/connector-paths.js';
import { code, codeList, escapeHtml } from './format.js';

/** Files listed before the list is cut. */
const MAX_FILES = 30;

/**
 * What a stage produced, as its verifier read it from the committed files (never the model's
 * claims): research's tables, auth method and deferred tables; auth's connection parameters; the
 * implemented tables with their ingestion types; the spec's parameters and tables; the files.
 */
export function renderStageFacts(stage: Stage, facts: StageFacts): string[] {
  const lines = [...renderFactsOf(stage, facts)];
  if (facts.files.length === 0) return lines;
  if (lines.at(-1)?.startsWith('|')) lines.push('');
  lines.push(`- Files: ${renderFiles(facts.files)}`);
  return lines;
}

function renderFactsOf(stage: Stage, facts: StageFacts): string[] {
  switch (stage) {
    case 'research':
      return [
        `- Tables documented: ${orNone(facts.tables)}`,
        `- Auth method: ${renderAuthMethod(facts)}`,
        `- Deferred tables (for later batches): ${orNone(facts.deferredTables)}`,
      ];
    case 'auth':
      return [
        `- Auth method: ${renderAuthMethod(facts)}`,
        `- Connection parameters: ${orNone(facts.connectionParams)}`,
      ];
    case 'implement':
      return renderIngestionTable(facts);
    case 'test':
      return [`- Tables under test: ${orNone(facts.tables)}`];
    case 'docs_spec':
      return [
        `- Connection parameters in the spec: ${orNone(facts.connectionParams)}`,
        `- Tables documented in the README: ${orNone(facts.tables)}`,
      ];
    case 'package':
      return [];
    default:
      return assertNever(stage);
  }
}

/** `| table | ingestion type |` for the implemented tables, plus any typed table not in the list. */
function renderIngestionTable(facts: StageFacts): string[] {
  const tables = [
    ...facts.tables,
    ...Object.keys(facts.ingestionTypes).filter((t) => !facts.tables.includes(t)),
  ];
  if (tables.length === 0) return ['- Tables implemented: none'];
  const rows = tables.map((table) => {
    const type = facts.ingestionTypes[table];
    return `| ${code(table).replace(/\|/g, '\\|')} | ${type === undefined ? 'not declared' : code(type).replace(/\|/g, '\\|')} |`;
  });
  return ['| table | ingestion type |', '|---|---|', ...rows];
}

function renderAuthMethod(facts: StageFacts): string {
  return facts.authMethod === null ? 'not stated' : escapeHtml(facts.authMethod.replace(/\s+/g, ' ').trim());
}

function orNone(names: readonly string[]): string {
  return names.length > 0 ? codeList(names) : 'none';
}

function renderFiles(files: readonly string[]): string {
  const shown = files.slice(0, MAX_FILES).map((file) => code(shortPath(file)));
  const more = files.length > MAX_FILES ? ` and ${files.length - MAX_FILES} more` : '';
  return `${shown.join(', ')}${more}`;
}
