import { join } from 'node:path';
import { createAppProcess } from '../test/chaos/app-process.js';
import { pilotRun } from '../test/chaos/pilot.js';
import { seededRandom, startChaosWorld } from '../test/chaos/world.js';
import { coveredLength, round } from './stats.js';

/** The single-run part of the `orchestration` figures. */
export interface SingleRunBench {
  /** Wall time of the run minus the time a CI run was in flight (dispatch to completion). */
  overhead_s: number;
  wall_s: number;
  ci_s: number;
  /** `overhead_s` over the phases. */
  overhead_per_phase_s: number;
  /** Every GitHub API request (reads and writes) over the run's phases. */
  github_calls_per_phase: number;
  github_writes_per_phase: number;
  /**
   * The least time the run's writes take one after another at the pace GitHub asks for (the
   * throttling plugin spaces a process's writes `WRITE_SPACING_S` apart): a floor under `wall_s`
   * that no orchestration can go below without writing less.
   */
  write_pacing_floor_s: number;
  phases: number;
  model_requests: number;
  end: string;
  /** The run's GitHub requests by operation, most frequent first. */
  calls_by_operation: Record<string, number>;
}

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
/** Seconds between two writes of one process (`@octokit/plugin-throttling`'s write group). */
const WRITE_SPACING_S = 1;

/**
 * One full two-batch run with fakes that answer at once (the model replays the Brightdesk
 * transcripts, CI runs the real gates with pytest), driven by a maintainer who answers each gate
 * within 50 ms. What is left after CI's time is the bot's own: queueing, locks, GitHub calls and
 * their pacing, rendering, and the model fake's few milliseconds (counted against the bot).
 */
export async function benchSingleRun(logDir: string): Promise<SingleRunBench> {
  const world = await startChaosWorld({ runs: 1, seed: 41 });
  const app = await createAppProcess(world, join(logDir, 'orchestration.log'));
  const ref = world.refs[0];
  if (ref === undefined) throw new Error('the world has no run');
  try {
    await app.start();
    const dispatchedAt: number[] = [];
    world.onDispatched = () => {
      dispatchedAt.push(performance.now());
    };
    const before = world.github.received.length;
    const modelBefore = world.anthropic.requests.length;
    const started = performance.now();
    await world.openRequest(0);
    const outcome = await pilotRun(world, ref, {
      resendAfterMs: 150_000,
      stuckAfterMs: 300_000,
      random: seededRandom(41),
      pollMs: 50,
    });
    const wall = performance.now() - started;
    const runs = world.actions[0]?.runs() ?? [];
    const ci = coveredLength(
      runs.map((run, index) => [
        dispatchedAt[index] ?? run.startedAt ?? 0,
        run.completedAt ?? performance.now(),
      ]),
    );
    // Downloads a GitHub API answer redirects to (codeload for a tarball, the artifact store) are not
    // API requests on GitHub: the fake serves them under `/_fake/`, and they are not counted.
    const calls = world.github.received.slice(before).filter((call) => !call.path.startsWith('/_fake/'));
    const phases = outcome.gates + 1;
    const writes = calls.filter((call) => WRITES.has(call.method)).length;
    return {
      overhead_s: round((wall - ci) / 1_000, 1),
      overhead_per_phase_s: round((wall - ci) / 1_000 / phases, 1),
      wall_s: round(wall / 1_000, 1),
      ci_s: round(ci / 1_000, 1),
      github_calls_per_phase: round(calls.length / phases, 1),
      github_writes_per_phase: round(writes / phases, 1),
      write_pacing_floor_s: round(Math.max(0, writes - 1) * WRITE_SPACING_S, 1),
      phases,
      model_requests: world.anthropic.requests.length - modelBefore,
      end: outcome.end === 'done' ? 'done' : `${outcome.end}: ${outcome.detail}`,
      calls_by_operation: countByOperation(calls),
    };
  } finally {
    world.onDispatched = undefined;
    await app.stop().catch(() => undefined);
    await world.close();
  }
}

function countByOperation(calls: ReadonlyArray<{ method: string; path: string; operation?: string }>) {
  const counts = new Map<string, number>();
  for (const call of calls) {
    const key = call.operation ?? `${call.method} ${call.path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}
