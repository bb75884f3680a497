import { InvariantError } from '../../errors.js';
import { RUBRIC, rubricCheck } from './rubric.js';
import type { CheckResult, ScoredCheck, SelfReviewOutcome } from './schema.js';
import { scoreSelfReview } from './score.js';

/** The finding of a check nobody judged; it counts as a fail. */
export const NOT_ASSESSED = 'not assessed';

/**
 * One result per rubric check, in rubric order: the bot's own file check wins over the model's
 * answer (so a model cannot pass a failing BLOCKER the bot can see), then the model's answer, and a
 * check neither judged is a fail "not assessed".
 */
export function mergeChecks(params: {
  model: readonly CheckResult[];
  bot: readonly CheckResult[];
}): ScoredCheck[] {
  const byId = (list: readonly CheckResult[]) => {
    for (const check of list) {
      if (rubricCheck(check.id) === undefined)
        throw new InvariantError(`Unknown self-review check "${check.id}"`);
    }
    return new Map(list.map((check) => [check.id, check]));
  };
  const model = byId(params.model);
  const bot = byId(params.bot);
  return RUBRIC.map((row): ScoredCheck => {
    const own = bot.get(row.id);
    if (own !== undefined) return { ...own, by: 'bot' };
    const answered = model.get(row.id);
    if (answered !== undefined) return { ...answered, by: 'model' };
    return { id: row.id, result: 'fail', finding: NOT_ASSESSED, citation: null, by: 'not_assessed' };
  });
}

/** The scored review: merged checks, the bot's score and verdict, and the model's top fixes. */
export function buildSelfReview(params: {
  model: readonly CheckResult[];
  bot: readonly CheckResult[];
  recommendations: readonly string[];
}): Extract<SelfReviewOutcome, { status: 'reviewed' }> {
  const checks = mergeChecks(params);
  return {
    status: 'reviewed',
    ...scoreSelfReview(checks),
    checks,
    recommendations: params.recommendations.slice(0, 5),
  };
}
