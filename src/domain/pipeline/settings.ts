import { z } from 'zod';
import { DEFAULT_LAYOUT, TargetLayout } from '../target-repo/layout.js';
import { Stage } from './phase.js';

/** How long the bot waits for a dispatched CI run, in minutes (repository config `ci`). */
export const CiTimeouts = z.object({
  /** From the dispatch until the run shows up in the workflow's runs. */
  appearTimeoutMinutes: z.number().int().min(1).max(1_440),
  /** From the dispatch until the run has finished. */
  runTimeoutMinutes: z.number().int().min(1).max(1_440),
});
export type CiTimeouts = z.infer<typeof CiTimeouts>;

/** Ten minutes to appear (a queued dispatch shows up within seconds), 45 to finish. */
export const DEFAULT_CI_TIMEOUTS: CiTimeouts = Object.freeze({
  appearTimeoutMinutes: 10,
  runTimeoutMinutes: 45,
});

/** A GitHub environment name as the bot accepts it: letters, digits, `_ . -` and single inner spaces. */
export const ENVIRONMENT_NAME = /^[\w.-]+(?: [\w.-]+)*$/;

/** The environment `init` tells maintainers to create, and the workflow's default. */
export const DEFAULT_ENVIRONMENT = 'lakeflow-live';

/**
 * The part of the repository config a run needs, snapshotted into the run when it is planned so
 * that a config change mid-run cannot change the rules of a run already approved.
 */
export const RunSettings = z.object({
  /** Test-and-fix iterations (agent fix → CI run) before the test stage fails. */
  maxTestIterations: z.number().int().min(1).max(20),
  /** Budget for the whole run and for one stage attempt, in USD, and how much `/approve` adds when paused. */
  budget: z.object({
    runUsd: z.number().positive(),
    stageUsd: z.number().positive(),
    raiseStepUsd: z.number().positive(),
    /** Tokens (input, output, cache reads and writes) per stage attempt and per run, and the raise step. */
    stageTokens: z.number().int().positive().default(4_000_000),
    runTokens: z.number().int().positive().default(20_000_000),
    raiseStepTokens: z.number().int().positive().default(2_000_000),
  }),
  /** Stages whose gate is approved without a person (the credentials gate never is). */
  autoApprove: z.array(Stage),
  /** Most tables one batch takes from the deferred list. */
  maxTablesPerBatch: z.number().int().min(1).max(20),
  /** Branch name prefix; the branch is `<prefix><source>`. */
  branchPrefix: z.string().min(1).max(100),
  /** Label set on the PR when live credentials were skipped. */
  needsLiveTestingLabel: z.string().min(1).max(50),
  /** Reviewers requested when the PR is marked ready. */
  reviewers: z.array(z.string().min(1).max(100)).max(20).default([]),
  /** Review the connector with the repository's rubric after each packaged batch. */
  selfReview: z.boolean().default(true),
  /** Label added on a passing self-review (READY or ALMOST, no BLOCKER fail), removed on every bot push. */
  selfReviewedLabel: z.string().min(1).max(50).default('connector-self-reviewed'),
  /** CI timeouts; runs planned before they existed get the defaults. */
  ci: CiTimeouts.default(DEFAULT_CI_TIMEOUTS),
  /** Where the repository keeps connectors (config `paths`); runs planned before it existed get the upstream layout. */
  layout: TargetLayout.default(DEFAULT_LAYOUT),
  /**
   * The GitHub environment live and auth CI runs use (config `environment`), sent with the dispatch;
   * runs planned before it existed get `lakeflow-live`.
   */
  environment: z.string().min(1).max(255).regex(ENVIRONMENT_NAME).default(DEFAULT_ENVIRONMENT),
  /** The operator's ceilings, which no raise passes (absent in runs planned before they existed: none). */
  caps: z
    .object({
      runUsd: z.number().positive(),
      stageUsd: z.number().positive(),
      runTokens: z.number().int().positive(),
      stageTokens: z.number().int().positive(),
    })
    .optional(),
  /** Settings the operator's limits lowered from what the repository asked, one line each, for the plan. */
  clamps: z.array(z.string().max(300)).max(10).optional(),
  /** Hosts research's `web_fetch` may reach besides the request's documentation hosts (config `webFetch`). */
  webFetch: z
    .object({ allowedDomains: z.array(z.string().max(253)).max(50).default([]) })
    .default({ allowedDomains: [] }),
});
export type RunSettings = z.infer<typeof RunSettings>;

/** Defaults used when the repository config says nothing (the README's configuration table). */
export const DEFAULT_RUN_SETTINGS: RunSettings = Object.freeze({
  maxTestIterations: 5,
  budget: {
    runUsd: 25,
    stageUsd: 8,
    raiseStepUsd: 5,
    stageTokens: 4_000_000,
    runTokens: 20_000_000,
    raiseStepTokens: 2_000_000,
  },
  autoApprove: [],
  maxTablesPerBatch: 5,
  branchPrefix: 'lakeflow-connector/',
  needsLiveTestingLabel: 'needs-live-testing',
  reviewers: [],
  selfReview: true,
  selfReviewedLabel: 'connector-self-reviewed',
  ci: DEFAULT_CI_TIMEOUTS,
  layout: DEFAULT_LAYOUT,
  webFetch: { allowedDomains: [] },
  environment: DEFAULT_ENVIRONMENT,
});
