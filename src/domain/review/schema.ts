import { z } from 'zod';
import { CHECK_IDS } from './rubric.js';

/** A rubric check id (`A1` … `E7`); any other id is refused. */
export const CheckId = z.enum(CHECK_IDS as [string, ...string[]]);
export type CheckId = z.infer<typeof CheckId>;

/** How one check came out. */
export const CheckOutcome = z.enum(['pass', 'warn', 'fail']);
export type CheckOutcome = z.infer<typeof CheckOutcome>;

/** `path:line` (or `path:from-to`), or only `path` for a file that is missing. */
const Citation = z
  .string()
  .regex(/^[A-Za-z0-9_./{}-]+(?::\d+(?:-\d+)?)?$/)
  .max(300)
  .describe('Evidence as path:line from the repository root (only the path for a missing file)');

/** One check as the reviewer (model or bot) judged it. */
export const CheckResult = z
  .object({
    id: CheckId,
    result: CheckOutcome,
    /** One line: what was found. */
    finding: z.string().min(1).max(500).describe('One line: what you found'),
    citation: Citation.nullable(),
  })
  .superRefine((check, ctx) => {
    if (check.result !== 'pass' && check.citation === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['citation'],
        message: `${check.id}: a ${check.result} needs a citation (path:line)`,
      });
    }
  });
export type CheckResult = z.infer<typeof CheckResult>;

/**
 * The self-reviewer agent's `submit` input: a result per check and the top fixes. It never
 * carries a score or a verdict: the bot computes those from the results (`scoreSelfReview`).
 */
export const SelfReviewSubmission = z
  .object({
    checks: z.array(CheckResult).min(1).max(CHECK_IDS.length),
    recommendations: z
      .array(z.string().min(1).max(500))
      .max(5)
      .describe('The 3 to 5 most important fixes, each with a path:line citation'),
  })
  .superRefine((report, ctx) => {
    const seen = new Set<string>();
    for (const [index, check] of report.checks.entries()) {
      if (seen.has(check.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['checks', index, 'id'],
          message: `${check.id} is listed twice`,
        });
      }
      seen.add(check.id);
    }
  });
export type SelfReviewSubmission = z.infer<typeof SelfReviewSubmission>;

/** Who decided a check: the model, the bot's own file checks, or nobody (counted as a fail). */
export const CheckSource = z.enum(['model', 'bot', 'not_assessed']);
export type CheckSource = z.infer<typeof CheckSource>;

/** A check in the scored review. */
export const ScoredCheck = z.object({
  id: CheckId,
  result: CheckOutcome,
  finding: z.string().max(500),
  citation: z.string().max(300).nullable(),
  by: CheckSource,
});
export type ScoredCheck = z.infer<typeof ScoredCheck>;

/** The bands of the rubric, best first; any BLOCKER fail means NOT READY. */
export const VERDICTS = ['READY', 'ALMOST', 'NEEDS WORK', 'NOT READY'] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

/** What the bot computed from the checks. */
export const SelfReviewScore = z.object({
  score: z.number().int().min(0).max(100),
  verdict: Verdict,
  /** Ids of BLOCKER checks that failed. */
  blockerFailures: z.array(CheckId),
});
export type SelfReviewScore = z.infer<typeof SelfReviewScore>;

/** How a self-review job ended, as its result event carries it. */
export const SelfReviewOutcome = z.discriminatedUnion('status', [
  /** Every check judged and scored. */
  z.object({
    status: z.literal('reviewed'),
    ...SelfReviewScore.shape,
    checks: z.array(ScoredCheck).max(CHECK_IDS.length),
    recommendations: z.array(z.string().max(500)).max(5),
  }),
  /** The review could not be made (agent gave up, budget, infrastructure); `reason` is for a maintainer. */
  z.object({ status: z.literal('failed'), reason: z.string().max(2_000) }),
]);
export type SelfReviewOutcome = z.infer<typeof SelfReviewOutcome>;
