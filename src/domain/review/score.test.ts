import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../errors.js';
import { mergeChecks, NOT_ASSESSED } from './build-self-review.js';
import { CHECK_IDS, RUBRIC } from './rubric.js';
import type { CheckOutcome, CheckResult } from './schema.js';
import { SelfReviewSubmission } from './schema.js';
import { isPassingVerdict, MAX_POINTS, scoreSelfReview } from './score.js';

/** Every check, passing unless `outcomes` says otherwise. */
function all(
  outcomes: Readonly<Record<string, string | undefined>> = {},
): Array<{ id: string; result: CheckOutcome }> {
  return CHECK_IDS.map((id) => ({ id, result: (outcomes[id] ?? 'pass') as CheckOutcome }));
}

function result(id: string, outcome: CheckOutcome): CheckResult {
  return {
    id,
    result: outcome,
    finding: `${id} is ${outcome}`,
    citation: outcome === 'pass' ? null : 'a.py:3',
  };
}

describe('the rubric', () => {
  it('has the rubric’s 54 checks: 25 BLOCKER, 20 MAJOR, 9 MINOR, 124 points at best', () => {
    const count = (severity: string) => RUBRIC.filter((row) => row.severity === severity).length;
    expect([RUBRIC.length, count('BLOCKER'), count('MAJOR'), count('MINOR')]).toEqual([54, 25, 20, 9]);
    expect(MAX_POINTS).toBe(124);
    expect(new Set(CHECK_IDS).size).toBe(54);
  });
});

describe('scoreSelfReview', () => {
  it.each([
    { name: 'every check passes', outcomes: {}, score: 100, verdict: 'READY' },
    {
      name: 'only B11 and B12 fail (a new bot connector)',
      outcomes: { B11: 'fail', B12: 'fail' },
      score: 94,
      verdict: 'READY',
    },
    { name: 'a stale live report (B11 warn)', outcomes: { B11: 'warn' }, score: 98, verdict: 'READY' },
    {
      name: 'five MAJOR fails',
      outcomes: { A4: 'fail', A5: 'fail', A6: 'fail', A7: 'fail', B8: 'fail' },
      score: 80,
      verdict: 'ALMOST',
    },
    {
      name: 'five BLOCKER warns',
      outcomes: { A1: 'warn', A2: 'warn', B1: 'warn', B2: 'warn', C1: 'warn' },
      score: 76,
      verdict: 'ALMOST',
    },
  ] as const)('$name → $score $verdict', ({ outcomes, score, verdict }) => {
    const scored = scoreSelfReview(all(outcomes));

    expect(scored).toEqual({ score, verdict, blockerFailures: [] });
  });

  it('is NOT READY on one BLOCKER fail, whatever the score', () => {
    const scored = scoreSelfReview(all({ D5: 'fail' }));

    expect(scored.score).toBe(90);
    expect(scored.verdict).toBe('NOT READY');
    expect(scored.blockerFailures).toEqual(['D5']);
    expect(isPassingVerdict(scored)).toBe(false);
  });

  it('bands 50–74 as NEEDS WORK and below 50 as NOT READY', () => {
    const majors = RUBRIC.filter((row) => row.severity === 'MAJOR').map((row) => [row.id, 'fail']);

    // 8 MAJOR fails: 124 − 8 × 5 = 84 points → 68. All 20: 124 − 100 = 24 → 19.
    expect(scoreSelfReview(all(Object.fromEntries(majors.slice(0, 8))))).toEqual({
      score: 68,
      verdict: 'NEEDS WORK',
      blockerFailures: [],
    });
    expect(scoreSelfReview(all(Object.fromEntries(majors)))).toEqual({
      score: 19,
      verdict: 'NOT READY',
      blockerFailures: [],
    });
  });

  it('clamps a negative total at 0', () => {
    const blockerWarns = RUBRIC.filter((row) => row.severity === 'BLOCKER').map((row) => [row.id, 'warn']);
    const everything = Object.fromEntries(CHECK_IDS.map((id) => [id, 'fail']));

    // 124 − 25 × 6 = −26 points.
    expect(scoreSelfReview(all(Object.fromEntries(blockerWarns)))).toEqual({
      score: 0,
      verdict: 'NOT READY',
      blockerFailures: [],
    });
    expect(scoreSelfReview(all(everything)).blockerFailures).toHaveLength(25);
  });

  it('counts a missing check as a fail', () => {
    const scored = scoreSelfReview(all().filter((check) => check.id !== 'A1'));

    expect(scored).toEqual({ score: 90, verdict: 'NOT READY', blockerFailures: ['A1'] });
  });

  it('refuses an unknown or repeated id', () => {
    expect(() => scoreSelfReview([...all(), { id: 'Z9', result: 'pass' }])).toThrow(InvariantError);
    expect(() => scoreSelfReview([...all(), { id: 'A1', result: 'pass' }])).toThrow(/A1 is scored twice/);
  });

  it('passes the label only on READY or ALMOST without blocker fails', () => {
    expect(isPassingVerdict(scoreSelfReview(all()))).toBe(true);
    expect(
      isPassingVerdict(scoreSelfReview(all({ A4: 'fail', A5: 'fail', A6: 'fail', A7: 'fail', B8: 'fail' }))),
    ).toBe(true);
    expect(
      isPassingVerdict(
        scoreSelfReview(
          all(
            Object.fromEntries(
              RUBRIC.filter((r) => r.severity === 'MAJOR')
                .slice(0, 8)
                .map((r) => [r.id, 'fail']),
            ),
          ),
        ),
      ),
    ).toBe(false);
  });
});

describe('mergeChecks', () => {
  it('fills a check the model left out as a fail "not assessed"', () => {
    const model = CHECK_IDS.filter((id) => id !== 'C7').map((id) => result(id, 'pass'));

    const merged = mergeChecks({ model, bot: [] });

    expect(merged).toHaveLength(54);
    expect(merged.find((check) => check.id === 'C7')).toEqual({
      id: 'C7',
      result: 'fail',
      finding: NOT_ASSESSED,
      citation: null,
      by: 'not_assessed',
    });
    expect(scoreSelfReview(merged).verdict).toBe('NOT READY');
  });

  it("puts the bot's own check over the model's answer, so a model cannot pass a failing BLOCKER", () => {
    const model = CHECK_IDS.map((id) => result(id, 'pass'));
    const bot = [result('A13', 'fail'), result('D4', 'pass')];

    const merged = mergeChecks({ model, bot });

    expect(merged.find((check) => check.id === 'A13')).toMatchObject({ result: 'fail', by: 'bot' });
    expect(merged.find((check) => check.id === 'A1')).toMatchObject({ result: 'pass', by: 'model' });
    expect(scoreSelfReview(merged).blockerFailures).toEqual(['A13']);
  });

  it('keeps rubric order whatever order the answers came in', () => {
    const model = [...CHECK_IDS].reverse().map((id) => result(id, 'pass'));

    expect(mergeChecks({ model, bot: [] }).map((check) => check.id)).toEqual(CHECK_IDS);
  });
});

describe('SelfReviewSubmission', () => {
  it('refuses unknown ids, repeated ids and a fail without a citation, saying which', () => {
    const parsed = SelfReviewSubmission.safeParse({
      checks: [
        { id: 'Z1', result: 'pass', finding: 'x', citation: null },
        { id: 'A1', result: 'pass', finding: 'x', citation: null },
        { id: 'A1', result: 'fail', finding: 'x', citation: null },
      ],
      recommendations: [],
    });

    expect(parsed.success).toBe(false);
    const messages = parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
    expect(messages.some((message) => message.startsWith('checks.0.id'))).toBe(true);
    expect(messages).toContain('checks.2.citation: A1: a fail needs a citation (path:line)');
  });

  it('accepts path:line and path:from-to citations', () => {
    const parsed = SelfReviewSubmission.safeParse({
      checks: [
        { id: 'A7', result: 'warn', finding: 'one call lacks timeout', citation: 'src/x/acme.py:40-42' },
        { id: 'B1', result: 'fail', finding: 'missing', citation: 'tests/unit/sources/acme/test_acme.py' },
      ],
      recommendations: ['Add timeout= at src/x/acme.py:41'],
    });

    expect(parsed.success).toBe(true);
  });
});
