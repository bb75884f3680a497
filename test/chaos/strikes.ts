import type { AppProcess } from './app-process.js';
import { groupStrikes, pickStrike } from './strike-order.js';
import type { ChaosWorld, GitHubCall } from './world.js';

/** Something the app does that a strike can be aimed at. */
export type ChaosEvent = { type: 'github'; call: GitHubCall } | { type: 'model' } | { type: 'dispatch' };

/** A point in a run at which to strike: a label for the table and what it waits for. */
export interface StrikePoint {
  label: string;
  matches(event: ChaosEvent): boolean;
  /** Strike as soon as armed (no random delay first): for blows in a row. */
  immediate?: boolean;
}

const github = (label: string, operation: string): StrikePoint => ({
  label,
  matches: (event) => event.type === 'github' && event.call.operation === operation,
});

/**
 * Where kills and flushes land. Each blow is followed by a few seconds' pause (so they spread over
 * the runs); then the first event matching any point still pending sets it off.
 */
export const STRIKE_POINTS = {
  /** The workflow was dispatched (its run exists), the bot has not seen the 204. */
  dispatch: { label: 'between dispatch and transition', matches: (event) => event.type === 'dispatch' },
  model: { label: 'mid-stage (a model request)', matches: (event) => event.type === 'model' },
  modelAgain: {
    label: 'mid-stage again, at once',
    matches: (event) => event.type === 'model',
    immediate: true,
  },
  comment: github(
    'events job: a comment posted',
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  ),
  statusEdit: github(
    'events job: a comment edited',
    'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  ),
  commit: {
    label: 'stage commit: the branch moved',
    matches: (event) => event.type === 'github' && event.call.graphql === 'createCommitOnBranch',
  },
  pull: github('events job: the pull request opened', 'POST /repos/{owner}/{repo}/pulls'),
  checkRun: github('a check run created', 'POST /repos/{owner}/{repo}/check-runs'),
  checkUpdate: github('a check run completed', 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}'),
  permission: github(
    'handling a command (its permission read)',
    'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
  ),
  ciResults: github(
    'reading CI results',
    'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
  ),
  label: github('a label written', 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels'),
} satisfies Record<string, StrikePoint>;

/** Something to do at a strike point: kill the app, or wipe its Redis keys. */
export type Blow = 'kill' | 'flush';

/** The strikes a scenario made, for its table row. */
export interface StrikeLog {
  fired: Array<{ label: string; at: string }>;
  missed: string[];
}

/**
 * Aims `points` at the app: after each blow the next is armed 1 to 5 s after the app is back (at
 * once for `immediate` points, which strike in a row after the point before them) and strikes at
 * the first event that matches a pending point, in their order (`pickStrike`), so a point whose
 * moment passed during a restart waits for the next run that reaches it. A kill is a `kill -9`,
 * then a restart after 0.3 to 2 s (during which GitHub's deliveries fail, as they would); a flush
 * deletes every key of the app's prefix while it runs. Returns a stop function with the log.
 */
export function aimStrikes(params: {
  world: ChaosWorld;
  app: AppProcess;
  points: readonly StrikePoint[];
  blow: Blow;
  random: () => number;
}): { stop(): Promise<StrikeLog> } {
  const { world, app, random } = params;
  const state = { chain: [] as StrikePoint[], pending: groupStrikes(params.points) };
  const log: StrikeLog = { fired: [], missed: [] };
  let armedAt = Date.now() + 3_000;
  let busy: Promise<void> = Promise.resolve();
  let striking = false;

  async function strike(point: StrikePoint): Promise<void> {
    log.fired.push({ label: point.label, at: new Date().toISOString() });
    if (params.blow === 'flush') {
      await world.flushRedis();
    } else {
      await app.kill();
      await new Promise((resolve) => setTimeout(resolve, 300 + random() * 1_700));
      await app.start();
    }
    armedAt = Date.now() + (state.chain.length > 0 ? 0 : 1_000 + random() * 4_000);
  }

  function observe(event: ChaosEvent): Promise<void> | undefined {
    if (striking || Date.now() < armedAt) return undefined;
    const point = pickStrike(state, event, (candidate, seen) => candidate.matches(seen));
    if (point === undefined) return undefined;
    striking = true;
    busy = strike(point).finally(() => {
      striking = false;
    });
    return busy;
  }

  world.onGitHubCall = (call) => void observe({ type: 'github', call });
  world.onModelRequest = () => void observe({ type: 'model' });
  // A kill aimed at a dispatch lands before the bot sees the 204: the dispatch is applied, unanswered.
  world.onDispatched = async () => {
    await observe({ type: 'dispatch' });
  };
  return {
    async stop() {
      world.onGitHubCall = undefined;
      world.onModelRequest = undefined;
      world.onDispatched = undefined;
      await busy;
      log.missed = [
        ...state.chain.map((point) => point.label),
        ...state.pending.flatMap((group) => [group.leader, ...group.followers].map((point) => point.label)),
      ];
      return log;
    },
  };
}
