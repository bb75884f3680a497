import { mergedSourcePath } from '../domain/ci/results-artifact.js';
import type { RunEvent } from '../domain/pipeline/events.js';
import type { Run } from '../domain/pipeline/run.js';
import { buildPathPolicy } from '../domain/policy/path-policy.js';
import type { CiResults } from '../ports/ci.js';
import type { GitHubPort } from '../ports/github.js';
import { checkSuppliedFile } from '../workspace/check-supplied-file.js';
import { jobTrailer } from '../workspace/commit-changes.js';
import { textOf } from '../workspace/tree-text.js';

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
 * CI's file is held to an agent's rules (`refusal`): one at another path, outside the package
 * stage's path policy, or holding what looks like a new credential is never committed; the event
 * then fails the stage with a `problem` that says why.
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
  if (regenerated === undefined || !shouldCommit(run, event)) return event;
  const path = mergedSourcePath(run.source, run.settings.layout);
  const tested = run.batch.stages.package.commitSha;
  const refused = await refusal(github, run, regenerated, tested);
  if (refused !== null) {
    const problem = `The merged source file is out of date, and the file CI regenerated was not committed: ${refused} Check the workflow and the merge script, then reply \`/retry\`.`;
    return { ...event, problem: problem.slice(0, 2_000) };
  }
  const trailer = jobTrailer(mergedSourceJobId(event.runKey));
  let sha = await github.findCommitByTrailer({ branch: run.branch, trailer });
  if (sha === null) {
    const head = await github.getBranchHead(run.branch);
    if (head === null || (tested !== null && head !== tested)) {
      const where = head === null ? 'was deleted' : `moved to \`${head.slice(0, 7)}\``;
      const problem = `The merged source file is out of date, and the branch ${where} after the package CI run tested \`${(tested ?? '').slice(0, 7)}\`, so the file CI regenerated was not committed. Reply \`/retry\` to package again.`;
      return { ...event, problem };
    }
    const message = `package: regenerate the merged source of ${run.source}\n\n${trailer}`;
    const changes = [{ path, content: regenerated.content }];
    sha = (await github.commitFiles({ branch: run.branch, expectedHeadSha: head, message, changes })).sha;
  }
  return {
    ...event,
    conclusion: 'success',
    gates: { ...event.gates, merged_source: 'passed' },
    regeneratedCommit: sha,
  };
}

/**
 * Why CI's file may not be committed, or `null`: it must be the run's merged source file, and pass
 * what an agent's write passes (the package stage's path policy, text only, the secret scan against
 * the file at the tested head). CI's results are not the bot's own: its workflow runs code from the
 * branch, so the file is held to the same rules as the agents' files.
 */
async function refusal(
  github: GitHubPort,
  run: Run,
  regenerated: NonNullable<CiResults['regeneratedMergedSource']>,
  tested: string | null,
): Promise<string | null> {
  const policy = buildPathPolicy({ stage: 'package', source: run.source, paths: run.settings.layout });
  const checked = await checkSuppliedFile({
    policy,
    path: regenerated.path,
    content: regenerated.content,
    readOriginal: async (path) =>
      tested === null ? null : textOf((await github.readTree({ sha: tested })).get(path)),
  });
  if (checked !== null) return checked.endsWith('.') ? checked : `${checked}.`;
  const path = mergedSourcePath(run.source, run.settings.layout);
  if (regenerated.path !== path) return `\`${regenerated.path}\` is not the merged source file \`${path}\`.`;
  return null;
}

/** A package run the run waits for, red only because of the merged source. */
function shouldCommit(run: Run, event: CiCompleted) {
  const status = run.status;
  if (status.kind !== 'waiting_for_ci' || status.stage !== 'package' || status.runKey !== event.runKey)
    return false;
  if (event.problem !== null || event.conclusion !== 'failure') return false;
  const gates = event.gates ?? {};
  const othersFailed = Object.entries(gates).some(
    ([gate, outcome]) => gate !== 'merged_source' && outcome === 'failed',
  );
  return gates.merged_source === 'failed' && gates.pytest === 'passed' && !othersFailed;
}
