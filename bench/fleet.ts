import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { parseStateMarker } from '../src/domain/render/markers.js';
import { createAppProcess } from '../test/chaos/app-process.js';
import { pilotRun, statusCommentBody } from '../test/chaos/pilot.js';
import { type ChaosWorld, seededRandom, startChaosWorld } from '../test/chaos/world.js';
import { peakRssMb } from './process.js';
import { round } from './stats.js';

/** Many runs at once: when their plans came, and what the processes and Redis held meanwhile. */
export interface FleetBench {
  runs: number;
  /** Processes running jobs: the app (`ROLE=all`), plus `ROLE=worker` ones. */
  processes: number;
  /** Seconds from opening every request at once until each had its plan posted. */
  plans_s: number | null;
  /** Peak resident set of each process, in MB, summed. */
  rss_mb: number | null;
  /** Growth of Redis's `used_memory` at its peak, in MB. */
  redis_mb: number;
  done: number;
  minutes: number;
  runs_per_min: number;
}

async function usedMemoryMb(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0) / 1_048_576;
}

/** Milliseconds from `since` until every run has posted its plan (or failed), `null` if not by `until`. */
async function watchPlans(world: ChaosWorld, since: number, until: number): Promise<number | null> {
  const pending = new Set(world.refs.map((ref) => ref.repo));
  while (pending.size > 0 && Date.now() < until) {
    for (const ref of world.refs) {
      if (!pending.has(ref.repo)) continue;
      const kind = parseStateMarker(statusCommentBody(world, ref))?.status.kind;
      // The plan phase runs, then waits at its gate: the first status that is not `running`.
      if (kind !== undefined && kind !== 'running') pending.delete(ref.repo);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return pending.size === 0 ? Date.now() - since : null;
}

/**
 * Opens `runs` requests at once against one app process (plus `extraWorkers` `ROLE=worker`
 * processes on the same Redis) and drives every run as its maintainer for up to `minutes`: the
 * time until all plans are posted, peak RSS, Redis growth, and runs done per minute.
 */
export async function benchFleet(params: {
  runs: number;
  extraWorkers: number;
  minutes: number;
  logDir: string;
}): Promise<FleetBench> {
  const world = await startChaosWorld({ runs: params.runs, seed: 60 + params.extraWorkers });
  const tag = `fleet-${params.runs}x${params.extraWorkers + 1}`;
  const app = await createAppProcess(world, join(params.logDir, `${tag}.log`));
  const workers = await Promise.all(
    Array.from({ length: params.extraWorkers }, (_, index) =>
      createAppProcess(world, join(params.logDir, `${tag}-worker-${index + 1}.log`), {
        env: { ROLE: 'worker' },
        receivesWebhooks: false,
      }),
    ),
  );
  const processes = [app, ...workers];
  try {
    for (const process of processes) await process.start();
    const baseline = await usedMemoryMb(world.redis);
    let redisPeak = baseline;
    const sampler = setInterval(() => {
      void usedMemoryMb(world.redis).then((mb) => {
        redisPeak = Math.max(redisPeak, mb);
      });
    }, 2_000);
    const started = Date.now();
    const deadline = started + params.minutes * 60_000;
    const random = seededRandom(70);
    const plans = watchPlans(world, started, deadline);
    const outcomes = await Promise.all(
      world.refs.map(async (ref, index) => {
        await world.openRequest(index);
        return pilotRun(world, ref, {
          resendAfterMs: 600_000,
          stuckAfterMs: 600_000,
          random,
          pollMs: 500,
          deadline,
        });
      }),
    );
    const plansMs = await plans;
    const elapsedMinutes = (Date.now() - started) / 60_000;
    clearInterval(sampler);
    const rss = await Promise.all(processes.map((process) => peakRssMb(process.pid)));
    const done = outcomes.filter((outcome) => outcome.end === 'done').length;
    return {
      runs: params.runs,
      processes: processes.length,
      plans_s: plansMs === null ? null : round(plansMs / 1_000, 1),
      rss_mb: rss.some((mb) => mb === null) ? null : rss.reduce<number>((sum, mb) => sum + (mb ?? 0), 0),
      redis_mb: round(redisPeak - baseline, 1),
      done,
      minutes: round(elapsedMinutes, 1),
      runs_per_min: round(done / elapsedMinutes, 2),
    };
  } finally {
    for (const process of processes) await process.stop().catch(() => undefined);
    await world.close();
  }
}
