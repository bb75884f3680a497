import type { ExpectedCiRun } from '../domain/ci/ci-run-match.js';
import type { CiGate, GateOutcome } from '../domain/ci/results-artifact.js';
import type { CiMode, TestCase } from '../domain/pipeline/run.js';
import type { TargetLayout } from '../domain/target-repo/layout.js';

/** An Actions run of the bot's workflow as the CI port sees it. */
export interface CiRunInfo {
  id: number;
  url: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'cancelled' | 'timed_out' | null;
  /** The branch, commit and event the run was started on (`ciRunMismatch` compares them with the run's). */
  headBranch: string | null;
  headSha: string | null;
  event: string | null;
}

/** What the bot reads back from a finished run: the JUnit table, gate results and a log excerpt. */
export interface CiResults {
  /** At most 500, failing ones first kept. */
  tests: TestCase[];
  /** The gates `summary.json` reports; a gate that did not run is absent. */
  gates: Partial<Record<CiGate, GateOutcome>>;
  /** At most 20,000 characters, failed gates' logs last. */
  logExcerpt: string;
  /** The results artifact's id on GitHub (its page is `<run url>/artifacts/<id>`), when known. */
  artifactId?: number;
  /**
   * Package mode, when the committed merged source was missing or stale: the file the repository's
   * merge script regenerated (`path` is always `mergedSourcePath(source, layout)` of the run's
   * source and layout; text, at most 2 MB). The bot commits it when no other gate failed.
   */
  regeneratedMergedSource?: { path: string; content: string };
}

/** GitHub Actions, as far as the bot uses it: dispatch its workflow, find the run, read results. */
export interface CiPort {
  /**
   * Dispatches the workflow on `branch`; `runKey` ends up in the run's name. `environment` and
   * `layout` (the run's settings) select the live environment and the connector folders. Sent once:
   * a transient failure (thrown retryable) may still have started the run, so look it up by `runKey`
   * before dispatching again.
   */
  dispatch(params: {
    branch: string;
    source: string;
    mode: CiMode;
    runKey: string;
    environment?: string;
    layout?: TargetLayout;
  }): Promise<void>;
  /**
   * The newest run whose name carries `runKey`, or `null` if it has not appeared yet. With
   * `expected`, runs of another branch, commit or event are passed over (see `ciRunMismatch`).
   */
  findRun(runKey: string, expected?: ExpectedCiRun): Promise<CiRunInfo | null>;
  /**
   * Reads the results artifact. Throws a non-retryable `BotError` whose message a maintainer can act
   * on when it is missing, expired or malformed; a retryable one when GitHub fails (5xx, network).
   */
  getResults(runId: number): Promise<CiResults>;
  /** Asks GitHub to cancel run `runId` (one the bot stopped waiting for); a finished run is left as it is. */
  cancelRun(runId: number): Promise<'cancelled' | 'finished'>;
}
