import { findSection, mentions } from '../markdown.js';
import type { ConnectorModel } from '../read-connector.js';
import { type ConnectorProblem, codeList, problem, shown } from './problem.js';

/** Headings of the API doc's auth section (any level, bold or plain). */
export const AUTH_HEADING = /^(\d+[.)]?\s*)?(authori[sz]ation|authentication|auth\b)/i;

/** The tables every doc must name: all of a static `list_tables()`, none of a runtime one. */
function staticTables(model: ConnectorModel): string[] {
  return model.tables?.kind === 'static' ? model.tables.tables : [];
}

/** The API doc exists, documents authentication and names every table `list_tables()` returns. */
export function apiDocProblems(model: ConnectorModel): ConnectorProblem[] {
  const path = model.paths.apiDoc;
  const text = model.files.get(path);
  if (text === undefined) return [problem('api_doc', path, `${shown(path)} is missing.`)];
  const problems: ConnectorProblem[] = [];
  if (!findSection(text, AUTH_HEADING)) {
    problems.push(
      problem('api_doc', path, `${shown(path)} has no "Authorization" (or "Authentication") section.`),
    );
  }
  const unnamed = staticTables(model).filter((table) => !mentions(text, table));
  if (unnamed.length > 0) {
    problems.push(
      problem(
        'api_doc',
        path,
        `${shown(path)} does not mention the table(s) ${codeList(unnamed)} that \`list_tables()\` returns.`,
      ),
    );
  }
  return problems;
}

/** The README exists and names every table `list_tables()` returns. */
export function readmeProblems(model: ConnectorModel): ConnectorProblem[] {
  const path = model.paths.readme;
  const text = model.files.get(path);
  if (text === undefined) return [problem('readme', path, `${shown(path)} is missing.`)];
  const unnamed = staticTables(model).filter((table) => !mentions(text, table));
  return unnamed.length > 0
    ? [
        problem(
          'readme',
          path,
          `${shown(path)} does not mention the implemented table(s) ${codeList(unnamed)}.`,
        ),
      ]
    : [];
}
