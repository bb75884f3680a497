import type { SelfReviewJob } from '../../src/domain/pipeline/jobs.js';
import { NO_USAGE } from '../../src/domain/pipeline/run.js';
import { CHECK_IDS } from '../../src/domain/review/rubric.js';
import type { CheckOutcome, CheckResult } from '../../src/domain/review/schema.js';
import type { SelfReviewer, SelfReviewResult } from '../../src/ports/self-reviewer.js';

/** Every rubric check as the model might answer it: all pass, except the `outcomes` given. */
export function modelChecks(outcomes: Record<string, CheckOutcome> = {}): CheckResult[] {
  return CHECK_IDS.map((id) => {
    const result = outcomes[id] ?? 'pass';
    const citation =
      result === 'pass' ? null : 'src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py:12';
    return { id, result, finding: `${id} ${result}`, citation };
  });
}

/** A reviewed result with the given model answers and bot checks. */
export function reviewed(model: CheckResult[] = modelChecks(), bot: CheckResult[] = []): SelfReviewResult {
  return { status: 'reviewed', model, bot, recommendations: ['Record a live run.'], usage: NO_USAGE };
}

/**
 * A `SelfReviewer` that answers from a script, in order (an `Error` is thrown), and records the jobs
 * it was given. With the script empty every check passes.
 */
export class ScriptedSelfReviewer implements SelfReviewer {
  readonly jobs: SelfReviewJob[] = [];
  private readonly script: Array<SelfReviewResult | Error> = [];

  /** Queues the answers of the next reviews. */
  answer(...results: Array<SelfReviewResult | Error>): this {
    this.script.push(...results);
    return this;
  }

  async review(job: SelfReviewJob): Promise<SelfReviewResult> {
    this.jobs.push(job);
    const next = this.script.shift() ?? reviewed();
    if (next instanceof Error) throw next;
    return next;
  }
}
