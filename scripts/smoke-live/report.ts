import { runSpendSoFar } from '../../src/domain/accounting/spend.js';
import { formatDuration, formatUsd } from '../../src/domain/render/format.js';
import { SMOKE_STEPS } from './checklist.js';
import type { SmokeRun } from './steps.js';

/**
 * The closing lines: the verdict (every step, or where it stopped), what the run spent, and what the
 * smoke run left on the repository for the person to remove, with the GitHub CLI commands that do it.
 * `branchExists` is whether the run's branch was found at the end.
 */
export function renderReport(smoke: SmokeRun, params: { passed: boolean; branchExists: boolean }): string[] {
  const { owner, repo } = smoke.options;
  const elapsed = formatDuration(smoke.checklist.elapsedMs());
  const spent = smoke.run === null ? '' : `; the run spent ${formatUsd(runSpendSoFar(smoke.run).costUsd)}`;
  const lines = [
    params.passed
      ? `PASS: ${SMOKE_STEPS.length} of ${SMOKE_STEPS.length} steps in ${elapsed}${spent}.`
      : `FAIL at "${smoke.step}": ${smoke.checklist.passed} of ${SMOKE_STEPS.length} steps passed in ${elapsed}${spent}.`,
  ];
  if (smoke.issue === null) return lines;
  const slug = `${owner}/${repo}`;
  const pull = smoke.run?.pullRequest ?? null;
  const branch = params.branchExists && smoke.run !== null ? smoke.run.branch : null;
  lines.push(`Left on ${slug} for you to remove:`, `  issue #${smoke.issue.number}: ${smoke.issue.url}`);
  if (pull !== null) lines.push(`  draft PR #${pull}`);
  if (branch !== null) lines.push(`  branch ${branch}`);
  const commands = [`gh issue close ${smoke.issue.number} -R ${slug}`];
  if (pull !== null)
    commands.push(`gh pr close ${pull} -R ${slug}${branch === null ? '' : ' --delete-branch'}`);
  else if (branch !== null) commands.push(`gh api -X DELETE repos/${slug}/git/refs/heads/${branch}`);
  lines.push(`  with the GitHub CLI: ${commands.join(' && ')}`);
  return lines;
}
