import type { RunRef } from '../../src/domain/pipeline/run.js';
import { BOT, type ChaosWorld } from './world.js';

/** Writes that happened more often than once, by kind, over the world's runs. */
export interface Duplicates {
  commits: number;
  comments: number;
  checkRuns: number;
  pulls: number;
  ciDispatches: number;
}

/** What GitHub holds after the runs: duplicates, and check runs never completed. */
export interface Tally {
  duplicates: Duplicates;
  /** Sum of `duplicates`. */
  total: number;
  unfinishedCheckRuns: number;
  commits: number;
  comments: number;
  checkRuns: number;
  ciDispatches: number;
}

const MARKER = /^<!-- lakeflow-connector-bot:([a-z0-9_.-]+) -->/;
const TRAILER = /^Lakeflow-Job: (\S+)$/m;

/** Each value seen more than once counts once per extra copy. */
function extras(values: readonly string[]): number {
  return values.length - new Set(values).size;
}

/**
 * Counts what the bot wrote to GitHub for `refs` and how much of it was written twice: commits by
 * their `Lakeflow-Job` trailer, bot comments by their marker key per issue or PR, check runs by name
 * and head, pull requests by head branch, CI dispatches by run key.
 */
export function tallyWrites(world: ChaosWorld, refs: readonly RunRef[]): Tally {
  const { github } = world;
  const duplicates: Duplicates = { commits: 0, comments: 0, checkRuns: 0, pulls: 0, ciDispatches: 0 };
  let unfinishedCheckRuns = 0;
  let commits = 0;
  let comments = 0;
  let checkRuns = 0;
  for (const ref of refs) {
    const pulls = github.pulls(ref.owner, ref.repo);
    duplicates.pulls += extras(pulls.map((pull) => pull.head));
    const branch = 'lakeflow-connector/brightdesk';
    const hasBranch = github.state.requireRepo(ref.owner, ref.repo).record.git.resolve(branch) !== undefined;
    const trailers = (hasBranch ? github.commitsOn(ref.owner, ref.repo, branch) : [])
      .map((commit) => TRAILER.exec(commit.message)?.[1])
      .filter((id): id is string => id !== undefined);
    commits += trailers.length;
    duplicates.commits += extras(trailers);
    for (const issue of [ref.issue, ...pulls.map((pull) => pull.number)]) {
      const keys = github
        .comments(ref.owner, ref.repo, issue)
        .filter((comment) => comment.user === BOT)
        .map((comment) => MARKER.exec(comment.body)?.[1] ?? `unmarked:${comment.body}`);
      comments += keys.length;
      duplicates.comments += extras(keys);
    }
    const checks = github.checkRuns(ref.owner, ref.repo);
    checkRuns += checks.length;
    duplicates.checkRuns += extras(checks.map((check) => `${check.name}@${check.headSha}`));
    unfinishedCheckRuns += checks.filter((check) => check.status !== 'completed').length;
  }
  const repos = new Set(refs.map((ref) => ref.repo));
  const dispatches = github.dispatches.filter((dispatch) => repos.has(dispatch.repo));
  duplicates.ciDispatches = extras(
    dispatches.map((dispatch) => `${dispatch.repo}:${String(dispatch.inputs.run_key)}`),
  );
  const total = Object.values(duplicates).reduce((sum, count) => sum + count, 0);
  return {
    duplicates,
    total,
    unfinishedCheckRuns,
    commits,
    comments,
    checkRuns,
    ciDispatches: dispatches.length,
  };
}
