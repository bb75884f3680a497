import type { RepoRef } from '../domain/pipeline/repo-runs.js';
import type { RunSettings } from '../domain/pipeline/settings.js';
import type { CommentRenderer } from '../domain/render/comment-renderer.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../observability/metrics.js';
import type { CiPort } from '../ports/ci.js';
import type { Clock } from '../ports/clock.js';
import type { GitHubPort } from '../ports/github.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { RepoAccess } from '../ports/repo-access.js';
import type { RunStore } from '../ports/run-store.js';
import type { SelfReviewer } from '../ports/self-reviewer.js';
import type { SpendLedger } from '../ports/spend-ledger.js';
import type { StageCheckpoints } from '../ports/stage-checkpoints.js';
import type { StageRunner } from '../ports/stage-runner.js';

/** The repository a port is bound to. */
export type { RepoRef } from '../domain/pipeline/repo-runs.js';

/** What the workers need, built once by the composition root. */
export interface WorkerDeps {
  store: RunStore;
  jobs: JobQueue;
  /** A GitHub port for one repository of one installation. */
  github: (repo: RepoRef) => GitHubPort;
  /** The Actions port for one repository of one installation. */
  ci: (repo: RepoRef) => CiPort;
  /** Seconds between polls of a dispatched CI run (`CI_POLL_INTERVAL_SECONDS`; default 60). */
  ciPollIntervalSeconds?: number;
  /** The run settings of a repository (its config file over the defaults). */
  settings: (github: GitHubPort) => Promise<RunSettings>;
  /** Who may steer a run, and which deliveries are the bot's: checked here, not in the webhook handlers. */
  access: RepoAccess;
  /**
   * The operator takes only `/lakeflow <command>` in every repository (`OPERATOR_REQUIRE_COMMAND_PREFIX`);
   * absent or false: as each repository's `commands.requirePrefix` says.
   */
  requireCommandPrefix?: boolean;
  /**
   * True while `key` (`owner/repo:login`) may still get a reply in the current window (refusals,
   * credential warnings); absent (the CLI): always.
   */
  allowReply?: (key: string) => Promise<boolean>;
  /**
   * How comments other than the status comment are written from their facts; absent: GitHub
   * markdown (`run` passes the terminal's).
   */
  comments?: CommentRenderer;
  stages: StageRunner;
  /** Reviews a packaged connector with the repository's rubric (the `selfReview` setting). */
  selfReviewer: SelfReviewer;
  clock: Clock;
  log: Logger;
  /**
   * Where stage jobs record each model turn's cost as it is spent, so crashed, retried and
   * cancelled attempts are charged too; absent (the CLI): only the attempt that reports is charged.
   */
  spendLedger?: SpendLedger;
  /** Where a stage handed over on shutdown leaves its agent, to resume on the next worker (with `spendLedger`). */
  stageCheckpoints?: StageCheckpoints;
  /** Least time between two `stage_progress` events of a running stage (default 30 s). */
  stageProgressIntervalMs?: number;
  /** How often a running stage job checks that its run still wants it (default 1 s). */
  stageWatchIntervalMs?: number;
  /** Where applied run events are counted (`/metrics`); absent: nothing is recorded. */
  metrics?: Metrics;
  /**
   * The repository's dashboard issue; absent (the CLI, tests about other things): none is kept.
   * `delayMs`: how long after a run's change its refresh runs, so a burst of changes makes one
   * edit (`DASHBOARD_ISSUE_DELAY_SECONDS`); `enabled`: the repository config's `dashboard` switch
   * (throws `ConfigError` for an invalid config file).
   */
  dashboard?: { delayMs: number; enabled: (github: GitHubPort) => Promise<boolean> };
}
