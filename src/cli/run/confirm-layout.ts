import type { ConnectorProblem } from '../../domain/target-repo/checks/problem.js';
import type { RepositoryCheck } from '../doctor/check-repository.js';
import type { LineReader } from './line-reader.js';

/** Problems listed before the list is cut (`doctor` lists them all). */
const MAX_SHOWN = 8;

/**
 * What in `doctor`'s repository check means the checkout is not a connectors repository `run` can
 * build on: everything but the installed issue form and workflow, which only the GitHub App uses.
 */
export function layoutProblems(check: RepositoryCheck): ConnectorProblem[] {
  return check.problems.filter((problem) => problem.check !== 'installed_file');
}

/** How `run` may answer the layout question: `--yes`, a person at the terminal, or neither. */
export interface LayoutQuestion {
  repo: string;
  problems: readonly ConnectorProblem[];
  yes: boolean;
  /** Standard input is a terminal, so a person can be asked. */
  interactive: boolean;
  reader: LineReader;
  signal: AbortSignal;
  /** Where the warning and the question go. */
  print: (text: string) => void;
}

/**
 * Before anything is spent on a checkout without the connectors layout: the warning with what is
 * missing, then `--yes` goes on, a person is asked (`y` goes on, anything else stops), and without
 * either (piped or closed input) the run is refused. True when the run may go on.
 */
export async function confirmLayout(q: LayoutQuestion): Promise<boolean> {
  if (q.problems.length === 0) return true;
  q.print(renderLayoutWarning(q.repo, q.problems));
  if (q.yes) {
    q.print('--yes: going on anyway.\n');
    return true;
  }
  if (!q.interactive) {
    q.print(
      'Refusing to start: standard input is not a terminal, so nobody can confirm. Run it on a connectors checkout, or add --yes to go on anyway.\n',
    );
    return false;
  }
  q.print('Go on anyway? [y/N] ');
  const line = await q.reader.next(q.signal);
  if (line !== null && /^\s*y(es)?\s*$/i.test(line)) return true;
  q.print(`${line === null ? '\n' : ''}Stopped: nothing was started or spent.\n`);
  return false;
}

/** The warning: the checkout, up to eight of its problems (file: message), and where to see them all. */
export function renderLayoutWarning(repo: string, problems: readonly ConnectorProblem[]): string {
  const shown = problems.slice(0, MAX_SHOWN).map((problem) => {
    const [first = '', ...rest] = problem.message.replace(/`/g, '').split('\n');
    return [`  ${problem.file}: ${first}`, ...rest.map((line) => `    ${line}`)].join('\n');
  });
  const more = problems.length > MAX_SHOWN ? [`  … and ${problems.length - MAX_SHOWN} more`] : [];
  return [
    `warning: ${repo} does not have the connectors repository's layout, which every phase builds on:`,
    ...shown,
    ...more,
    `  (npx lakeflow-connector-bot doctor --repo ${repo} shows every check)`,
    'A run here spends model tokens on phases whose checks and tests cannot pass.',
    '',
  ].join('\n');
}
