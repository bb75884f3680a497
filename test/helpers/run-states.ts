import type { Run } from '../../src/domain/pipeline/run.js';
import {
  approve,
  ciDone,
  command,
  drive,
  failed,
  newRun,
  overBudget,
  runAtGate,
  succeeded,
} from './pipeline.js';

/** One run in each status the machine has (the stage gate is the implement gate). */
export const RUNS_IN_EACH_STATE: Record<string, () => Run> = {
  plan: () => newRun(),
  running: () => drive(newRun(), approve()).run,
  waiting_for_ci: () => drive(runAtGate('implement'), approve(), (r) => succeeded(r)).run,
  gate: () => runAtGate('implement'),
  next_batch: () =>
    drive(
      runAtGate('docs_spec'),
      approve(),
      (r) => succeeded(r),
      (r) => ciDone(r, 'success'),
    ).run,
  verifying: () => drive(runAtGate('implement'), approve({ headSha: 'f'.repeat(40) })).run,
  credentials: () =>
    drive(
      newRun(),
      approve(),
      (r) => succeeded(r),
      approve(),
      (r) => succeeded(r),
    ).run,
  paused: () => drive(newRun(), approve(), (r) => overBudget(r)).run,
  failed: () => drive(newRun(), approve(), (r) => failed(r)).run,
  cancelled: () => drive(newRun(), command({ type: 'cancel' })).run,
  done: () =>
    drive(
      runAtGate('docs_spec', newRun({ tables: ['contacts'] }), []),
      approve(),
      (r) => succeeded(r),
      (r) => ciDone(r, 'success'),
    ).run,
};
