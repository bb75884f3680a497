import { planRun } from '../../src/domain/pipeline/plan-run.js';
import { NO_USAGE, Run, type StageRecord, type Usage } from '../../src/domain/pipeline/run.js';
import { DEFAULT_RUN_SETTINGS } from '../../src/domain/pipeline/settings.js';

/**
 * A valid `Run` for renderer tests: the plan of `acme_crm` for issue #42 (as docs/maintainer-view.md describes it), with
 * `overrides` on top. Test support, kept pure so it can live beside the renderers; it validates the
 * result with the `Run` schema, so a test cannot render a run the bot could never hold.
 */
export function buildRun(overrides: Partial<Run> = {}): Run {
  const decision = planRun({
    ref: { installationId: 1, owner: 'acme', repo: 'lakeflow-community-connectors', issue: 42 },
    repoUrl: 'https://github.com/acme/lakeflow-community-connectors',
    request: {
      source: 'acme_crm',
      docsUrls: ['https://developers.acme.example/api'],
      tables: ['contacts', 'deals', 'companies'],
      notes: '',
    },
    settings: DEFAULT_RUN_SETTINGS,
    now: '2026-07-01T10:00:00.000Z',
    sourceExists: false,
    activeRun: null,
  });
  if (decision.kind !== 'planned') throw new Error('buildRun: planRun did not plan a run');
  return Run.parse({ ...decision.run, ...overrides });
}

/** A stage record for `batch.stages`: a finished stage unless `patch` says otherwise. */
export function buildStageRecord(patch: Partial<StageRecord> = {}): StageRecord {
  return {
    state: 'done',
    attempt: 1,
    commitSha: null,
    usage: NO_USAGE,
    durationMs: 0,
    note: null,
    ...patch,
  };
}

/** Usage that costs `costUsd`, with token counts in the proportions of a typical stage. */
export function buildUsage(costUsd: number, inputTokens = 0): Usage {
  return {
    inputTokens: Math.round(inputTokens * 0.15),
    outputTokens: Math.round(inputTokens * 0.09),
    cacheReadTokens: Math.round(inputTokens * 0.81),
    cacheWriteTokens: inputTokens - Math.round(inputTokens * 0.15) - Math.round(inputTokens * 0.81),
    costUsd,
  };
}

const SHA_RESEARCH = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const SHA_AUTH = 'b2c3d4e5f60718293a4b5c6d7e8f9012345678a1';
const SHA_IMPLEMENT = 'd4e5f6a70718293a4b5c6d7e8f9012345678a1b2';

/**
 * The run of a typical status comment: batch 1 of 2, research and implement done, the live check
 * skipped, PR #57 open, waiting for `/approve` after *implement*; `overrides` on top.
 */
export function buildGateRun(overrides: Partial<Run> = {}): Run {
  const base = buildRun();
  return buildRun({
    pullRequest: 57,
    auth: 'skipped',
    deferredTables: ['notes', 'tasks', 'tickets', 'users'],
    status: {
      kind: 'awaiting_approval',
      gate: { kind: 'stage', stage: 'implement' },
      headSha: SHA_IMPLEMENT,
    },
    batch: {
      ...base.batch,
      stages: {
        ...base.batch.stages,
        research: buildStageRecord({ commitSha: SHA_RESEARCH, durationMs: 190_000, usage: buildUsage(0.84) }),
        auth: buildStageRecord({ commitSha: SHA_AUTH, note: 'live check skipped (`/skip-auth`)' }),
        implement: buildStageRecord({
          commitSha: SHA_IMPLEMENT,
          durationMs: 362_000,
          usage: buildUsage(2.1),
        }),
      },
    },
    usage: {
      inputTokens: 62_000,
      cacheReadTokens: 333_720,
      cacheWriteTokens: 16_280,
      outputTokens: 38_000,
      costUsd: 2.94,
    },
    updatedAt: '2026-07-01T10:30:00.000Z',
    ...overrides,
  });
}
