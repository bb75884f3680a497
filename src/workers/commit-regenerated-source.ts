import { mergedSourcePath } from '../domain/ci/results-artifact.js';
import type { RunEvent } from '../domain/pipeline/events.js';
import type { Run } from '../domain/pipeline/run.js';
import type { CiResults } from '../ports/ci.js';
import type { GitHubPort } from '../ports/github.js';
import { jobTrailer } from '../workspace/commit-changes.js';

type CiCompleted = Extract<RunEvent, { type: 'ci_completed' }>;

/** The job id in the trailer of the commit that carries CI's regenerated merged source. */
export function mergedSourceJobId(runKey: string): string {
  return `${runKey}-merged-source`;
}

/**
 * The agents have no shell, so they cannot run the repository's merge script: when the package CI
 * run the run waits for failed only its merged-source check and left the regenerated file in its
 * results, the bot commits that file to the run's branch and reports the run as green, with
 * `merged_source` passed and the commit as `regeneratedCommit`. Any other case returns `event` as
 * it is (the domain then fails the stage and names the stale file).
 *
 * Idempotent: a commit with the trailer `Lakeflow-Job: <runKey>-merged-source` is reused. The commit
 * is compare-and-set on the head CI tested; a branch that has moved since makes the event a failure
 * whose `problem` says so (the file was regenerated from another tree), and a race on the ref
 * update throws the port's retryable `StateConflictError`, so the job is retried.
 */
export async function commitRegeneratedSource(params: {
  github: GitHubPort;
  run: Run;
  event: CiCompleted;
  regenerated: CiResults['regeneratedMergedSource'];
}): Promise<CiCompleted> {
  const { github, run, event, regenerated } = params;
  if (!shouldCommit(run, event, regenerated)) return event;
  const path = mergedSourcePath(run.source, run.settings.layout);
  const trailer = jobTrailer(mergedSourceJobId(event.runKey));
  let sha = await github.findCommitByTrailer({ branch: run.branch, trailer });
  if (sha === null) {
    const tested = run.batch.stages.package.commitSha;
    const head = await github.getBranchHead(run.branch);
    if (head === null || (tested !== null && head !== tested)) {
      const where = head === null ? 'was deleted' : `moved to \`${head.slice(0, 7)}\``;
      const problem = `The merged source file is out of date, and the branch ${where} after the package CI run tested \`${(tested ?? '').slice(0, 7)}\`, so the file CI regenerated was not committed. Reply \`/retry\` to package again.`;
      return { ...event, problem };
    }
    const message = `package: regenerate the merged source of ${run.source}\n\n${trailer}`;
    const changes = [{ path, content: regenerated?.content ?? '' }];
    sha = (await github.commitFiles({ branch: run.branch, expectedHeadSha: head, message, changes })).sha;
  }
  return {
    ...event,
    conclusion: 'success',
    gates: { ...event.gates, merged_source: 'passed' },
    regeneratedCommit: sha,
  };
}

/** A package run the run waits for, red only because of the merged source, with the file to commit. */
function shouldCommit(run: Run, event: CiCompleted, regenerated: CiResults['regeneratedMergedSource']) {
  const status = run.status;
  if (status.kind !== 'waiting_for_ci' || status.stage !== 'package' || status.runKey !== event.runKey)
    return false;
  if (regenerated === undefined || regenerated.path !== mergedSourcePath(run.source, run.settings.layout))
    return false;
  if (event.problem !== null || event.conclusion !== 'failure') return false;
  const gates = event.gates ?? {};
  const othersFailed = Object.entries(gates).some(
    ([gate, outcome]) => gate !== 'merged_source' && outcome === 'failed',
  );
  return gates.merged_source === 'failed' && gates.pytest === 'passed' && !othersFailed;
}
