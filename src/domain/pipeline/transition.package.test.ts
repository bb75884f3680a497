import { describe, expect, it } from 'vitest';
import { approve, ciDone, drive, NOW, runAtGate, succeeded } from '../../../test/helpers/pipeline.js';
import type { RunEvent } from './events.js';
import { REGENERATED_NOTE } from './on-ci-completed.js';
import type { Run } from './run.js';
import { transition } from './transition.js';

const REGENERATED = 'e'.repeat(40);

/** A run of batch 1 waiting for its package CI run. */
function waitingForPackage(deferredTables: string[] = ['invoices', 'notes']): Run {
  return drive(runAtGate('docs_spec', undefined, deferredTables), approve(), (r) => succeeded(r)).run;
}

function packageResult(run: Run, patch: Partial<Extract<RunEvent, { type: 'ci_completed' }>>): RunEvent {
  const event = ciDone(run, 'success');
  if (event.type !== 'ci_completed') throw new Error('ciDone builds ci_completed');
  return { ...event, ...patch };
}

describe('transition', () => {
  describe('when the package run is green after the bot committed the regenerated merged source', () => {
    it('makes that commit the package head, notes it, and binds the batch gate and self-review to it', () => {
      const run = waitingForPackage();
      const event = packageResult(run, {
        gates: { pytest: 'passed', merged_source: 'passed', pylint: 'skipped', wheel: 'passed' },
        regeneratedCommit: REGENERATED,
      });

      const { run: packaged, effects } = transition(run, event, NOW);

      expect(packaged.batch.stages.package).toMatchObject({ commitSha: REGENERATED, note: REGENERATED_NOTE });
      expect(packaged.status).toEqual({
        kind: 'awaiting_approval',
        gate: { kind: 'next_batch' },
        headSha: REGENERATED,
      });
      expect(packaged.ciRuns.at(-1)?.gates?.merged_source).toBe('passed');
      expect(effects).toContainEqual(
        expect.objectContaining({ type: 'upsert_check_run', stage: 'package', headSha: REGENERATED }),
      );
      expect(effects).toContainEqual(
        expect.objectContaining({
          type: 'enqueue_self_review',
          job: expect.objectContaining({ headSha: REGENERATED }),
        }),
      );
    });

    it('finishes the run on the regenerated head when nothing is deferred', () => {
      const run = waitingForPackage([]);

      const { run: done } = transition(run, packageResult(run, { regeneratedCommit: REGENERATED }), NOW);

      expect(done.status).toEqual({ kind: 'done' });
      expect(done.batch.stages.package.commitSha).toBe(REGENERATED);
    });
  });

  describe('when the package run is green with a current merged source', () => {
    it('keeps the package commit and adds no note', () => {
      const run = waitingForPackage();
      const packageSha = run.batch.stages.package.commitSha;

      const { run: packaged } = transition(run, packageResult(run, {}), NOW);

      expect(packaged.batch.stages.package).toMatchObject({ commitSha: packageSha, note: null });
      expect(packaged.status).toMatchObject({ headSha: packageSha });
    });
  });

  describe('when the package run is red', () => {
    it('says the merged file would also need regenerating when other gates failed too', () => {
      const run = waitingForPackage();
      const event = {
        ...ciDone(run, 'failure', []),
        gates: { pytest: 'passed', merged_source: 'failed', pylint: 'failed', wheel: 'passed' },
      } as RunEvent;

      const { run: failed } = transition(run, event, NOW);

      expect(failed.status).toMatchObject({ kind: 'failed', stage: 'package' });
      expect(failed.status.kind === 'failed' && failed.status.reason).toMatch(
        /^The package build ended with conclusion `failure` \(\[CI run\]\([^)]+\)\)\. The merged source file would also need regenerating: the bot commits the file CI regenerates once pylint passes\.$/,
      );
    });

    it('points at the merged-source log when that check failed alone with nothing to commit', () => {
      const run = waitingForPackage();
      const event = {
        ...ciDone(run, 'failure', []),
        gates: { pytest: 'passed', merged_source: 'failed' },
      } as RunEvent;

      const { run: failed } = transition(run, event, NOW);

      expect(failed.status.kind === 'failed' && failed.status.reason).toContain(
        'The merged source check failed without a regenerated file to commit: see `logs/merged_source.txt`',
      );
    });

    it('adds nothing about the merged file when its check passed', () => {
      const run = waitingForPackage();
      const event = {
        ...ciDone(run, 'failure', []),
        gates: { pytest: 'failed', merged_source: 'passed' },
      } as RunEvent;

      const { run: failed } = transition(run, event, NOW);

      expect(failed.status.kind === 'failed' && failed.status.reason).not.toContain('merged');
    });
  });
});
