import type { Effect } from '../domain/pipeline/effects.js';
import type { RunEvent } from '../domain/pipeline/events.js';
import type { RunRef } from '../domain/pipeline/run.js';
import { transition } from '../domain/pipeline/transition.js';
import type { StoredRun } from '../ports/run-store.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

const APPLIED_EVENT_IDS_KEPT = 100;

/**
 * Carries out a stored outbox, then clears it. Called before applying anything new, so effects
 * decided by an event whose worker died are never lost.
 */
export async function flushOutbox(deps: WorkerDeps, ref: RunRef, stored: StoredRun): Promise<StoredRun> {
  if (stored.outbox === null) return stored;
  await runEffects(deps, { ref, run: stored.run }, stored.outbox.effects);
  const cleared = { run: stored.run, outbox: null, appliedEventIds: stored.appliedEventIds };
  const version = await deps.store.save(ref, cleared, stored.version);
  return { ...cleared, version };
}

/**
 * Saves a run together with the effects it owes (the outbox), carries them out, then clears the
 * outbox. Effects are idempotent, so a crash anywhere here is repaired by the next flush.
 * `onSaved` runs once the save succeeded, before the effects (which may fail and be retried).
 */
export async function commitAndRun(
  deps: WorkerDeps,
  ref: RunRef,
  next: { run: StoredRun['run']; effects: Effect[]; eventId: string; appliedEventIds: string[] },
  expectedVersion: number,
  onSaved?: () => void,
): Promise<void> {
  const appliedEventIds = [...next.appliedEventIds, next.eventId].slice(-APPLIED_EVENT_IDS_KEPT);
  const version = await deps.store.save(
    ref,
    { run: next.run, outbox: { eventId: next.eventId, effects: next.effects }, appliedEventIds },
    expectedVersion,
  );
  onSaved?.();
  await flushOutbox(deps, ref, {
    run: next.run,
    outbox: { eventId: next.eventId, effects: next.effects },
    appliedEventIds,
    version,
  });
}

/**
 * load → transition → save (with outbox) → effects. The caller holds the run's lock. An event
 * already applied (a redelivery or a retried job) is recognised by its id and not applied again.
 */
export async function applyRunEvent(
  deps: WorkerDeps,
  ref: RunRef,
  event: RunEvent,
  loaded?: StoredRun,
): Promise<'applied' | 'duplicate' | 'no_run'> {
  const found = loaded ?? (await deps.store.load(ref));
  if (found === null) return 'no_run';
  const stored = await flushOutbox(deps, ref, found);
  if (stored.appliedEventIds.includes(event.id)) return 'duplicate';
  const outcome = transition(stored.run, event, deps.clock.now().toISOString());
  if (outcome.run === stored.run && outcome.effects.length === 0) {
    deps.metrics?.observeRunEvent(event, stored.run);
    return 'applied';
  }
  await commitAndRun(
    deps,
    ref,
    {
      run: outcome.run,
      effects: outcome.effects,
      eventId: event.id,
      appliedEventIds: stored.appliedEventIds,
    },
    stored.version,
    // Counted once the event is saved as applied: neither a retried save nor a retried effect counts twice.
    () => deps.metrics?.observeRunEvent(event, stored.run),
  );
  return 'applied';
}
