import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RunEvent } from '../domain/pipeline/events.js';
import type { Run, Usage } from '../domain/pipeline/run.js';
import type { Logger } from '../logging.js';
import { errorKindOf, type Metrics } from './metrics.js';

/** Job counts per queue and state (`waiting`, `active`, …), read at scrape time. */
export type JobCounts = Record<string, Record<string, number>>;

/** `Metrics` that can also be scraped. */
export interface PrometheusMetrics extends Metrics {
  /** The Prometheus text exposition and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Stage durations run from seconds (a refused job) to an hour (a long agent run). */
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
/** The `outcome` label of each stage result. */
const STAGE_OUTCOMES: Partial<Record<RunEvent['type'], string>> = {
  stage_succeeded: 'succeeded',
  stage_failed: 'failed',
  budget_exceeded: 'budget_exceeded',
};
const TOKEN_KINDS: ReadonlyArray<readonly [string, keyof Usage]> = [
  ['input', 'inputTokens'],
  ['output', 'outputTokens'],
  ['cache_read', 'cacheReadTokens'],
  ['cache_write', 'cacheWriteTokens'],
];

/**
 * The `Metrics` on prom-client, on a registry of its own (never the global one, so two apps in one
 * process, as in tests, do not collide), with the default process metrics. `lakeflow_jobs` is
 * read from `jobCounts` when scraped; if that fails the gauge is empty for that scrape and the
 * failure is logged. Usage carries no model id, so tokens and cost are labelled by stage only.
 */
export function createPrometheusMetrics(
  options: { jobCounts?: () => Promise<JobCounts>; log?: Logger } = {},
): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const webhooks = new Counter({
    name: 'lakeflow_webhook_deliveries_total',
    help: 'Webhook deliveries handled, by event and outcome.',
    labelNames: ['event', 'outcome'],
    registers,
  });
  const { jobCounts, log } = options;
  new Gauge({
    name: 'lakeflow_jobs',
    help: 'Jobs in each BullMQ queue, by state (read when scraped).',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      this.reset();
      if (jobCounts === undefined) return;
      try {
        for (const [queue, counts] of Object.entries(await jobCounts())) {
          for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
        }
      } catch (err) {
        log?.warn({ err }, 'Could not read job counts for /metrics');
      }
    },
  });
  const durations = new Histogram({
    name: 'lakeflow_phase_duration_seconds',
    help: 'Wall time of stage jobs, by stage and outcome.',
    labelNames: ['stage', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const tokens = new Counter({
    name: 'lakeflow_tokens_total',
    help: 'Model tokens spent by stage jobs, by stage and kind (input, output, cache_read, cache_write).',
    labelNames: ['stage', 'kind'],
    registers,
  });
  const cost = new Counter({
    name: 'lakeflow_cost_usd_total',
    help: 'Model cost of stage jobs in USD, by stage.',
    labelNames: ['stage'],
    registers,
  });
  const ciRuns = new Counter({
    name: 'lakeflow_ci_runs_total',
    help: 'CI runs whose result was applied to a run, by mode and conclusion.',
    labelNames: ['mode', 'conclusion'],
    registers,
  });
  const errors = new Counter({
    name: 'lakeflow_errors_total',
    help: 'Failed job attempts, by error kind (user-input, config, external, conflict, invariant, unrecoverable, other).',
    labelNames: ['kind'],
    registers,
  });

  function observeRunEvent(event: RunEvent, run: Run | null): void {
    if (event.type === 'ci_completed') {
      const mode = run?.ciRuns.find((record) => record.runKey === event.runKey)?.mode ?? 'unknown';
      ciRuns.inc({ mode, conclusion: event.conclusion });
      return;
    }
    // Any event that reports model usage is counted, a stage result or not (the self-review);
    // usage outside a stage is labelled with the event type.
    const { type } = event;
    if (!('usage' in event)) return;
    const stage = 'stage' in event ? event.stage : type;
    for (const [kind, field] of TOKEN_KINDS) tokens.inc({ stage, kind }, event.usage[field]);
    cost.inc({ stage }, event.usage.costUsd);
    const outcome = STAGE_OUTCOMES[type];
    if (outcome !== undefined && 'durationMs' in event) {
      durations.observe({ stage, outcome }, event.durationMs / 1000);
    }
  }

  return {
    observeWebhook(event, outcome) {
      webhooks.inc({ event, outcome });
    },
    observeRunEvent,
    observeJobFailure(error) {
      errors.inc({ kind: errorKindOf(error) });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
