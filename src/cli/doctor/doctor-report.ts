import { z } from 'zod';
import { shortPath } from '../../domain/target-repo/connector-paths.js';

/** One finding: the check that made it, the repository path it is about, and what is wrong. */
export const DoctorProblem = z.strictObject({
  check: z.string().min(1),
  file: z.string(),
  message: z.string().min(1),
});
export type DoctorProblem = z.infer<typeof DoctorProblem>;

/** What `doctor --json` prints: the repository's findings, then each connector's. */
export const DoctorReport = z.strictObject({
  repo: z.strictObject({ ok: z.boolean(), problems: z.array(DoctorProblem) }),
  connectors: z.array(
    z.strictObject({ source: z.string().min(1), ok: z.boolean(), problems: z.array(DoctorProblem) }),
  ),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

/**
 * The report of a doctor run, validated: `ok` is derived from the problems, and every problem keeps
 * exactly `check`, `file` and `message` (the domain's problems may grow fields; the JSON does not).
 */
export function buildDoctorReport(params: {
  repoProblems: readonly DoctorProblem[];
  connectors: readonly { source: string; problems: readonly DoctorProblem[] }[];
}): DoctorReport {
  const pick = (problems: readonly DoctorProblem[]) =>
    problems.map(({ check, file, message }) => ({ check, file, message }));
  return DoctorReport.parse({
    repo: { ok: params.repoProblems.length === 0, problems: pick(params.repoProblems) },
    connectors: params.connectors.map(({ source, problems }) => ({
      source,
      ok: problems.length === 0,
      problems: pick(problems),
    })),
  });
}

/** Whether nothing failed. */
export function isHealthy(report: DoctorReport): boolean {
  return report.repo.ok && report.connectors.every((connector) => connector.ok);
}

/** The report as `--json` prints it: one JSON document, two-space indented, ending in a newline. */
export function renderDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const PASS = '✅';
const FAIL = '❌';
const REPOSITORY_ROW = '(repository)';

/**
 * The report as a table: one row per connector (the repository's own checks first) with ✅ or ❌ and
 * its failed checks, each problem on its own line below it (check, file, message), then the counts.
 */
export function renderDoctorTable(report: DoctorReport): string {
  const rows = [
    { name: REPOSITORY_ROW, ok: report.repo.ok, problems: report.repo.problems },
    ...report.connectors.map(({ source, ok, problems }) => ({ name: source, ok, problems })),
  ];
  const nameWidth = Math.max('connector'.length, ...rows.map((row) => row.name.length));
  const allProblems = rows.flatMap((row) => row.problems);
  const checkWidth = Math.max(0, ...allProblems.map((problem) => problem.check.length));
  const fileWidth = Math.max(0, ...allProblems.map((problem) => shortPath(problem.file).length));
  const problemIndent = ' '.repeat(5);
  const continuation = ' '.repeat(problemIndent.length + checkWidth + 2 + fileWidth + 2);
  const lines = [`   ${'connector'.padEnd(nameWidth)}  failed checks`];
  for (const row of rows) {
    const failed = [...new Set(row.problems.map((problem) => problem.check))].join(', ');
    lines.push(`${row.ok ? PASS : FAIL} ${row.name.padEnd(nameWidth)}  ${failed}`.trimEnd());
    for (const problem of row.problems) {
      const message = withoutLeadingFile(problem).replace(/\n/g, `\n${continuation}`);
      lines.push(
        `${problemIndent}${problem.check.padEnd(checkWidth)}  ${shortPath(problem.file).padEnd(fileWidth)}  ${message}`,
      );
    }
  }
  lines.push('', renderCounts(report));
  return `${lines.join('\n')}\n`;
}

/** A message as the table shows it: a leading `` `file` `` (and its colon) is dropped, the file has its own column. */
function withoutLeadingFile(problem: DoctorProblem): string {
  for (const path of [problem.file, shortPath(problem.file)]) {
    const lead = `\`${path}\``;
    if (path !== '' && problem.message.startsWith(lead)) {
      const rest = problem.message.slice(lead.length).replace(/^:?\s+/, '');
      if (rest !== '') return rest;
    }
  }
  return problem.message;
}

/** The last line: how many connectors passed and failed, and how the repository's own checks went. */
export function renderCounts(report: DoctorReport): string {
  const failed = report.connectors.filter((connector) => !connector.ok).length;
  const passed = report.connectors.length - failed;
  const problems = report.connectors.reduce((sum, connector) => sum + connector.problems.length, 0);
  const repo = report.repo.problems.length;
  const connectors = `${plural(report.connectors.length, 'connector')}: ${passed} ${PASS} ${failed} ${FAIL} (${plural(problems, 'problem')})`;
  const repository = repo === 0 ? `repository ${PASS}` : `repository ${FAIL} (${plural(repo, 'problem')})`;
  return `${repository} · ${connectors}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
