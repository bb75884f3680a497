import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { jobLogBindings } from './job-log-bindings.js';

const REF = { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 };
const job = (id: string, data: unknown, attemptsMade = 0) => ({ id, data, attemptsMade }) as unknown as Job;

describe('jobLogBindings', () => {
  it.each([
    [
      'an issue request from a webhook',
      job('delivery-abc-123', { kind: 'issue_request', ref: REF, body: 'the whole issue body' }),
      {
        queue: 'events',
        jobId: 'delivery-abc-123',
        attempt: 1,
        deliveryId: 'abc-123',
        run: 'acme/connectors#42',
        kind: 'issue_request',
      },
    ],
    [
      'a stage result event',
      job(
        'acme-connectors-42-b1-research-a1-result',
        {
          kind: 'run_event',
          ref: REF,
          event: { type: 'stage_succeeded', stage: 'research' },
        },
        2,
      ),
      {
        queue: 'events',
        jobId: 'acme-connectors-42-b1-research-a1-result',
        attempt: 3,
        run: 'acme/connectors#42',
        stage: 'research',
        kind: 'stage_succeeded',
      },
    ],
    [
      'a stage part',
      job('part-1', { job: { ref: REF, stage: 'docs_spec' }, agent: 'docs' }),
      { queue: 'events', jobId: 'part-1', attempt: 1, run: 'acme/connectors#42', stage: 'docs_spec' },
    ],
    ['data of another shape', job('x-1', 'not an object'), { queue: 'events', jobId: 'x-1', attempt: 1 }],
  ])('binds %s without its data', (_name, input, expected) => {
    const bindings = jobLogBindings('events', input);

    expect(bindings).toEqual(expected);
    expect(JSON.stringify(bindings)).not.toContain('issue body');
  });

  it('binds only the queue when BullMQ gives no job', () => {
    expect(jobLogBindings('phases', undefined)).toEqual({ queue: 'phases' });
  });
});
