import { describe, expect, it } from 'vitest';
import {
  approve,
  ciDone,
  command,
  NOW,
  runAtGate,
  succeeded,
  types,
} from '../../../test/helpers/pipeline.js';
import type { RunEvent } from './events.js';
import { transition } from './transition.js';

const at = (event: RunEvent, writtenAt: string | null): RunEvent => ({ ...event, writtenAt }) as RunEvent;
const seconds = (iso: string, delta: number) => new Date(Date.parse(iso) + delta * 1000).toISOString();

describe('transition: commands bound to what their author saw', () => {
  it('records when the run reaches a new gate', () => {
    const gate = runAtGate('implement');

    expect(gate.statusSince).toBe(NOW);
  });

  it('refuses an /approve written before the gate it would pass was posted, and says why', () => {
    const gate = { ...runAtGate('implement'), statusSince: '2026-12-03T12:00:10.400Z' };

    const { run, effects } = transition(gate, at(approve(), '2026-12-03T12:00:09Z'), NOW);

    expect(run).toBe(gate);
    expect(types(effects)).toEqual(['reply']);
    expect(effects[0]).toMatchObject({
      body: expect.stringContaining('this `/approve` was written before the *implement* summary was posted'),
    });
  });

  it('applies an /approve written after the gate, or in the same second (GitHub counts whole seconds)', () => {
    const gate = { ...runAtGate('implement'), statusSince: '2026-12-03T12:00:10.400Z' };

    expect(transition(gate, at(approve(), '2026-12-03T12:00:10Z'), NOW).run.status).toEqual({
      kind: 'running',
      stage: 'test',
    });
    expect(
      transition(gate, at(approve(), seconds('2026-12-03T12:00:10Z', 30)), NOW).run.status,
    ).toMatchObject({
      kind: 'running',
    });
    expect(transition(gate, at(approve(), null), NOW).run.status).toMatchObject({ kind: 'running' });
  });

  it('refuses a /revise meant for the previous gate when it arrives after the next one opened', () => {
    const researchGate = { ...runAtGate('research'), statusSince: '2026-12-03T11:00:00.000Z' };
    const written = '2026-12-03T11:05:00Z';
    const authRunning = transition(researchGate, approve(), '2026-12-03T11:06:00.000Z').run;
    const credentialsGate = transition(authRunning, succeeded(authRunning), '2026-12-03T11:20:00.000Z').run;

    const { run, effects } = transition(
      credentialsGate,
      at(command({ type: 'revise', feedback: 'more tables' }), written),
      NOW,
    );

    expect(credentialsGate.statusSince).toBe('2026-12-03T11:20:00.000Z');
    expect(run).toBe(credentialsGate);
    expect(effects[0]).toMatchObject({ body: expect.stringContaining('was written before') });
  });

  it('refuses an /approve meant for the last gate when it arrives after the run finished: no live check starts', () => {
    const lastGate = { ...runAtGate('docs_spec', undefined, []), statusSince: '2026-12-03T12:00:00.000Z' };
    const written = '2026-12-03T12:00:05Z';
    const packaging = transition(lastGate, at(approve(), written), '2026-12-03T12:00:06.000Z').run;
    const built = transition(packaging, succeeded(packaging), '2026-12-03T12:00:20.000Z').run;
    const done = transition(built, ciDone(built, 'success'), '2026-12-03T12:00:30.000Z').run;

    const late = transition(done, at(approve(), written), NOW);
    const fresh = transition(done, at(approve(), '2026-12-03T12:00:31Z'), NOW);

    expect(done.status).toEqual({ kind: 'done' });
    expect(done.statusSince).toBe('2026-12-03T12:00:30.000Z');
    expect(late.run).toBe(done);
    expect(types(late.effects)).toEqual(['reply']);
    expect(late.effects[0]).toMatchObject({
      body: expect.stringContaining('was written before the final summary was posted'),
    });
    expect(fresh.run.status).toMatchObject({ kind: 'waiting_for_ci', mode: 'live' });
  });

  it('never binds questions: /status and /help answer whenever they were written', () => {
    const gate = { ...runAtGate('implement'), statusSince: '2026-12-03T12:00:10.000Z' };

    const { effects } = transition(gate, at(command({ type: 'status' }), '2026-12-03T11:00:00Z'), NOW);

    expect(effects[0]).not.toMatchObject({ body: expect.stringContaining('was written before') });
  });
});
