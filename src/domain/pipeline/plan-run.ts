import type { ConnectorRequest } from '../intake/schema.js';
import type { Effect } from './effects.js';
import { newBatch } from './progress.js';
import { NO_USAGE, type Run, type RunRef } from './run.js';
import type { RunSettings } from './settings.js';

/** What intake decided for a well-formed request. */
export type PlanDecision =
  /** A new run, waiting for `/approve` of its plan. */
  | { kind: 'planned'; run: Run; effects: Effect[] }
  /** Another issue is already building this source: point there, start nothing. */
  | { kind: 'duplicate'; effects: Effect[] };

/**
 * Plans a run for a parsed request, without any model call. One active run per source per
 * repository: a second request is answered with a link to the first. A source already in the
 * repository is planned as an extension (new tables on top of what exists).
 */
export function planRun(params: {
  ref: RunRef;
  repoUrl: string;
  request: ConnectorRequest;
  settings: RunSettings;
  now: string;
  sourceExists: boolean;
  activeRun: RunRef | null;
}): PlanDecision {
  const { ref, request, settings, activeRun } = params;
  if (activeRun !== null && activeRun.issue !== ref.issue) {
    return {
      kind: 'duplicate',
      effects: [
        {
          type: 'reply',
          key: `duplicate-${request.source}`,
          target: { kind: 'issue', number: ref.issue },
          body: `A connector run for \`${request.source}\` is already active in #${activeRun.issue}: follow or steer it there. I will not start a second one.`,
        },
      ],
    };
  }
  const run: Run = {
    schemaVersion: 1,
    ref,
    repoUrl: params.repoUrl,
    source: request.source,
    request,
    extension: params.sourceExists,
    branch: `${settings.branchPrefix}${request.source}`,
    pullRequest: null,
    settings,
    status: { kind: 'awaiting_plan_approval' },
    batch: newBatch(1, request.tables),
    completedTables: [],
    deferredTables: [],
    auth: 'pending',
    feedback: [],
    testIterations: 0,
    lastCiFailure: null,
    ciRuns: [],
    usage: NO_USAGE,
    budget: {
      runUsd: settings.budget.runUsd,
      stageUsd: settings.budget.stageUsd,
      runTokens: settings.budget.runTokens,
      stageTokens: settings.budget.stageTokens,
    },
    createdAt: params.now,
    updatedAt: params.now,
  };
  if (params.sourceExists)
    run.batch.stages.auth = { ...run.batch.stages.auth, state: 'skipped', note: 'source exists' };
  return {
    kind: 'planned',
    run,
    effects: [{ type: 'clear_request_errors' }, { type: 'upsert_plan' }, { type: 'sync_status' }],
  };
}
