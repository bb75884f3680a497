import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { approve, ciDone, drive, failed, newRun, runAtGate, succeeded } from '../../test/helpers/pipeline.js';
import { ExternalServiceError, InvariantError } from '../errors.js';
import { createPrometheusMetrics } from './prometheus-metrics.js';

const USAGE = {
  inputTokens: 1000,
  outputTokens: 200,
  cacheReadTokens: 800,
  cacheWriteTokens: 100,
  costUsd: 0.5,
};

/** The value of one sample line, e.g. `lakeflow_cost_usd_total{stage="research"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createPrometheusMetrics', () => {
  it('counts webhook deliveries by event and outcome', async () => {
    const metrics = createPrometheusMetrics();

    metrics.observeWebhook('issues.opened', 'enqueued');
    metrics.observeWebhook('issues.opened', 'enqueued');
    metrics.observeWebhook('issue_comment.created', 'invalid_payload');
    const { body } = await metrics.render();

    expect(sample(body, 'lakeflow_webhook_deliveries_total{event="issues.opened",outcome="enqueued"}')).toBe(
      2,
    );
    expect(
      sample(
        body,
        'lakeflow_webhook_deliveries_total{event="issue_comment.created",outcome="invalid_payload"}',
      ),
    ).toBe(1);
  });

  it('records a stage result as duration, tokens by kind and cost, by stage', async () => {
    const metrics = createPrometheusMetrics();
    const running = drive(newRun(), approve()).run;

    metrics.observeRunEvent(succeeded(running, {}, USAGE), running);
    metrics.observeRunEvent(failed(running), running);
    const { body } = await metrics.render();

    expect(sample(body, 'lakeflow_phase_duration_seconds_count{stage="research",outcome="succeeded"}')).toBe(
      1,
    );
    expect(sample(body, 'lakeflow_phase_duration_seconds_sum{stage="research",outcome="succeeded"}')).toBe(
      60,
    );
    expect(sample(body, 'lakeflow_phase_duration_seconds_count{stage="research",outcome="failed"}')).toBe(1);
    expect(sample(body, 'lakeflow_tokens_total{stage="research",kind="input"}')).toBe(2000);
    expect(sample(body, 'lakeflow_tokens_total{stage="research",kind="cache_write"}')).toBe(200);
    expect(sample(body, 'lakeflow_cost_usd_total{stage="research"}')).toBe(1);
  });

  it('labels a CI result with the mode the run dispatched it in', async () => {
    const metrics = createPrometheusMetrics();
    const waiting = drive(runAtGate('implement'), approve(), (current) => succeeded(current)).run;
    expect(waiting.status.kind).toBe('waiting_for_ci');

    metrics.observeRunEvent(ciDone(waiting, 'failure'), waiting);
    metrics.observeRunEvent(ciDone(waiting, 'success'), null);
    const { body } = await metrics.render();

    expect(sample(body, 'lakeflow_ci_runs_total{mode="simulate",conclusion="failure"}')).toBe(1);
    expect(sample(body, 'lakeflow_ci_runs_total{mode="unknown",conclusion="success"}')).toBe(1);
  });

  it('ignores events that spend nothing', async () => {
    const metrics = createPrometheusMetrics();

    metrics.observeRunEvent(approve(), newRun());
    const { body } = await metrics.render();

    expect(body).not.toMatch(/^lakeflow_(tokens|cost_usd|ci_runs)_total\{/m);
  });

  it('counts job failures by error kind, looking through UnrecoverableError to its cause', async () => {
    const metrics = createPrometheusMetrics();
    const unrecoverable = new UnrecoverableError('bad data');
    unrecoverable.cause = new InvariantError('bad data');

    metrics.observeJobFailure(unrecoverable);
    metrics.observeJobFailure(new ExternalServiceError('GitHub 502'));
    metrics.observeJobFailure(new UnrecoverableError('no cause'));
    metrics.observeJobFailure(new Error('job stalled more than allowable limit'));
    const { body } = await metrics.render();

    expect(sample(body, 'lakeflow_errors_total{kind="invariant"}')).toBe(1);
    expect(sample(body, 'lakeflow_errors_total{kind="external"}')).toBe(1);
    expect(sample(body, 'lakeflow_errors_total{kind="unrecoverable"}')).toBe(1);
    expect(sample(body, 'lakeflow_errors_total{kind="other"}')).toBe(1);
  });

  it('reads job counts when scraped, and renders without them when the read fails', async () => {
    let counts: () => Promise<Record<string, Record<string, number>>> = async () => ({
      events: { waiting: 3, active: 1 },
      phases: { failed: 2 },
    });
    const warnings: unknown[] = [];
    const log = { warn: (details: unknown) => warnings.push(details) } as never;
    const metrics = createPrometheusMetrics({ jobCounts: () => counts(), log });

    const first = await metrics.render();
    counts = async () => {
      throw new Error('Redis is away');
    };
    const second = await metrics.render();

    expect(sample(first.body, 'lakeflow_jobs{queue="events",state="waiting"}')).toBe(3);
    expect(sample(first.body, 'lakeflow_jobs{queue="phases",state="failed"}')).toBe(2);
    expect(second.body).not.toMatch(/^lakeflow_jobs\{/m);
    expect(second.body).toContain('process_cpu_user_seconds_total');
    expect(warnings).toHaveLength(1);
  });

  it('keeps each instance on its own registry, with the Prometheus content type', async () => {
    const one = createPrometheusMetrics();
    const two = createPrometheusMetrics();

    one.observeWebhook('issues.opened', 'enqueued');
    const rendered = await two.render();

    expect(rendered.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(rendered.body).not.toContain('lakeflow_webhook_deliveries_total{');
  });
});
