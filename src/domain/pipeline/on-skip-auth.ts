import { type CommandEvent, notNow, reply } from './command-replies.js';
import type { Outcome } from './outcome.js';
import { unchanged } from './outcome.js';
import { advancePast, updateStage } from './progress.js';
import type { Run } from './run.js';

/**
 * `/skip-auth`: no live credentials. At the credentials gate the run goes on in simulate mode;
 * earlier in the first batch the choice is remembered for when auth ends. The PR is labelled.
 */
export function onSkipAuth(run: Run, event: CommandEvent): Outcome {
  if (run.auth !== 'pending' || run.batch.number > 1) {
    return notNow(
      run,
      event,
      `the live check is already ${run.auth === 'verified' ? 'done' : 'settled'} for this run.`,
    );
  }
  const label = { type: 'set_labels' as const, add: [run.settings.needsLiveTestingLabel], remove: [] };
  const skipped: Run = updateStage({ ...run, auth: 'skipped' }, 'auth', {
    note: 'live check skipped (`/skip-auth`)',
  });
  if (run.status.kind === 'awaiting_credentials') {
    const next = advancePast(skipped, 'auth');
    return { run: next.run, effects: [label, ...next.effects] };
  }
  if (
    run.batch.stages.auth.state === 'done' ||
    run.status.kind === 'cancelled' ||
    run.status.kind === 'done'
  ) {
    return notNow(run, event, 'the live check can no longer be skipped here.');
  }
  return unchanged(
    skipped,
    label,
    reply(event, 'noted: the live credentials check will be skipped; tests run in simulate mode only.'),
  );
}
