import { join } from 'node:path';
import { createAppProcess } from './app-process.js';
import { type PilotOutcome, pilotRun } from './pilot.js';
import { aimStrikes, type Blow, STRIKE_POINTS, type StrikeLog, type StrikePoint } from './strikes.js';
import { type Tally, tallyWrites } from './tally.js';
import { type FaultRates, seededRandom, startChaosWorld } from './world.js';

/** One scenario of the suite: runs driven to their end while something goes wrong. */
export interface Scenario {
  name: string;
  runs: number;
  seed: number;
  /** Kills or flushes aimed at these points, in order. */
  strikes?: { blow: Blow; points: readonly StrikePoint[] };
  faults?: FaultRates;
  /** Every command delivered twice, and a second `/approve` at each gate delivered late. */
  replay?: boolean;
}

/** What a scenario measured: one row of the table. */
export interface ScenarioResult {
  name: string;
  runs: number;
  done: number;
  /** Failed, and the status comment says why and offers `/retry`. */
  failedWithReply: number;
  stuck: number;
  manual: number;
  tally: Tally;
  strikes: StrikeLog | null;
  faults: { github: number; githubAfterWrite: number; model: number };
  late: { sent: number; answered: number };
  seconds: number;
  outcomes: PilotOutcome[];
}

/**
 * Runs one scenario: starts the fakes and the app process, opens every request, aims the strikes,
 * drives each run as its maintainer, then counts what GitHub holds. The app's log goes to
 * `<logDir>/<name>.log`.
 */
export async function runScenario(scenario: Scenario, logDir: string): Promise<ScenarioResult> {
  const started = Date.now();
  const random = seededRandom(scenario.seed * 7919);
  const world = await startChaosWorld({ runs: scenario.runs, seed: scenario.seed });
  const app = await createAppProcess(world, join(logDir, `${scenario.name.replace(/\W+/g, '-')}.log`));
  try {
    await app.start();
    world.rates = scenario.faults ?? { github: 0, model: 0 };
    const aimed = scenario.strikes ? aimStrikes({ world, app, random, ...scenario.strikes }) : null;
    const pilots = world.refs.map(async (ref, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * 1_500));
      await world.openRequest(index);
      return pilotRun(world, ref, {
        lateCommands: scenario.replay ?? false,
        duplicateDeliveries: scenario.replay ?? false,
        resendAfterMs: 150_000,
        stuckAfterMs: 300_000,
        random,
      });
    });
    const outcomes = await Promise.all(pilots);
    const strikes = aimed === null ? null : await aimed.stop();
    world.rates = { github: 0, model: 0 };
    // Writes the app still had in flight land before counting.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    return {
      name: scenario.name,
      runs: scenario.runs,
      done: outcomes.filter((outcome) => outcome.end === 'done').length,
      failedWithReply: outcomes.filter((outcome) => outcome.end === 'failed' && outcome.failedWithReply)
        .length,
      stuck: outcomes.filter(
        (outcome) => outcome.end === 'stuck' || (outcome.end === 'failed' && !outcome.failedWithReply),
      ).length,
      manual: outcomes.reduce((sum, outcome) => sum + outcome.manual, 0),
      tally: tallyWrites(world, world.refs),
      strikes,
      faults: { ...world.injected },
      late: {
        sent: outcomes.reduce((sum, outcome) => sum + outcome.lateSent, 0),
        answered: outcomes.reduce((sum, outcome) => sum + outcome.lateAnswered, 0),
      },
      seconds: Math.round((Date.now() - started) / 1000),
      outcomes,
    };
  } finally {
    await app.stop().catch(() => undefined);
    await world.close();
  }
}

const P = STRIKE_POINTS;

/** Kill points across a run: every kind of work interrupted, and a stage killed three times in a row. */
const KILL_POINTS: readonly StrikePoint[] = [
  P.permission,
  P.model,
  P.commit,
  P.checkRun,
  P.dispatch,
  P.ciResults,
  P.comment,
  P.statusEdit,
  P.model,
  P.modelAgain,
  P.modelAgain,
  P.pull,
  P.label,
  P.checkUpdate,
  P.dispatch,
  P.commit,
  P.model,
  P.comment,
  P.dispatch,
  P.statusEdit,
  P.permission,
  P.checkRun,
];

const FLUSH_POINTS: readonly StrikePoint[] = [
  P.permission,
  P.model,
  P.dispatch,
  P.ciResults,
  P.commit,
  P.comment,
  P.checkUpdate,
  P.model,
  P.statusEdit,
];

/** The whole suite (`npm run chaos`), or the short version CI runs (`--short`). */
export function chaosScenarios(short: boolean): Scenario[] {
  if (short) {
    return [
      {
        name: 'kill -9',
        runs: 1,
        seed: 11,
        strikes: { blow: 'kill', points: [P.dispatch, P.comment, P.commit] },
      },
      { name: 'redis flushed', runs: 1, seed: 12, strikes: { blow: 'flush', points: [P.model, P.dispatch] } },
      { name: 'replayed webhooks', runs: 1, seed: 13, replay: true },
      { name: '10% faults', runs: 1, seed: 14, faults: { github: 0.1, model: 0.1 } },
    ];
  }
  return [
    { name: 'kill -9', runs: 3, seed: 1, strikes: { blow: 'kill', points: KILL_POINTS } },
    { name: 'redis flushed', runs: 3, seed: 2, strikes: { blow: 'flush', points: FLUSH_POINTS } },
    { name: 'replayed webhooks', runs: 3, seed: 3, replay: true },
    { name: '10% faults', runs: 3, seed: 4, faults: { github: 0.1, model: 0.1 } },
  ];
}
