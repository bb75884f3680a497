import { describe, expect, it } from 'vitest';
import { buildSelfReview } from '../review/build-self-review.js';
import { CHECK_IDS } from '../review/rubric.js';
import type { CheckResult } from '../review/schema.js';
import { renderSelfReviewComment } from './self-review-comment.js';

const SHA = 'abc1234def5678900000000000000000000000000';
const BASE = {
  source: 'acme_crm',
  repoUrl: 'https://github.com/acme/connectors',
  batch: 1,
  headSha: SHA,
  label: 'connector-self-reviewed',
};

function answers(overrides: Record<string, Omit<CheckResult, 'id'>>): CheckResult[] {
  return CHECK_IDS.filter((id) => id !== 'C1').map(
    (id) => ({ id, ...(overrides[id] ?? { result: 'pass', finding: 'ok', citation: null }) }) as CheckResult,
  );
}

describe('renderSelfReviewComment', () => {
  it('says a review that ended after the branch moved on leaves the label to the next one', () => {
    const review = buildSelfReview({ model: answers({}), bot: [], recommendations: [] });

    const late = renderSelfReviewComment({ ...BASE, review, late: true });
    const current = renderSelfReviewComment({ ...BASE, review });

    expect(late).toContain(
      'The branch has moved past this commit since, so the `connector-self-reviewed` label is left to the review of the next package build.',
    );
    expect(late).not.toMatch(/Label `connector-self-reviewed` (not )?added/);
    expect(current).toMatch(/Label `connector-self-reviewed` (not )?added/);
    expect(current).not.toContain('moved past');
  });

  it('shows a failing review: verdict, no label, recommendations and the findings per section (four rows shown)', () => {
    const review = buildSelfReview({
      model: answers({
        A7: {
          result: 'warn',
          finding: 'one `requests.get` | lacks <b>timeout</b>',
          citation: 'src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py:41',
        },
        B11: { result: 'fail', finding: 'no live report', citation: 'tests/unit/sources/acme_crm' },
      }),
      bot: [
        {
          id: 'A13',
          result: 'fail',
          finding: '`__init__.py` has no DataSource.',
          citation: 'src/databricks/labs/community_connector/sources/acme_crm/__init__.py',
        },
      ],
      recommendations: ['Define `AcmeCrmDataSource` in `__init__.py`.', 'Add `timeout=` at acme_crm.py:41.'],
    });
    const checks = review.checks.filter(
      (check) => check.id === 'A13' || check.id === 'A7' || check.id === 'B11' || check.id === 'C1',
    );

    const body = renderSelfReviewComment({ ...BASE, review: { ...review, checks } });

    expect(body).toMatchInlineSnapshot(`
      "<!-- connector-self-review:acme_crm -->
      ### Self-review of \`acme_crm\`: NOT READY (73/100)

      Reviewed [abc1234](https://github.com/acme/connectors/commit/abc1234def5678900000000000000000000000000) (batch 1) with the repository's rubric (\`self-review-connector\`, 4 checks). Label \`connector-self-reviewed\` not added: 2 BLOCKER check(s) fail.
      The bot computes the score from the per-check results; checks marked 🤖 were decided from the files by the bot itself.

      **Top recommendations**

      1. Define \`AcmeCrmDataSource\` in \`__init__.py\`.
      2. Add \`timeout=\` at acme_crm.py:41.

      **A. Implementation** (0 pass, 1 warn, 1 fail)

      | # | Sev | Result | Finding |
      |---|---|---|---|
      | A7 | MAJ | ⚠️ warn | one \`requests.get\` \\| lacks &lt;b&gt;timeout&lt;/b&gt; (\`sources/acme_crm/acme_crm.py:41\`) |
      | A13 | B | ❌ fail 🤖 | \`__init__.py\` has no DataSource. (\`sources/acme_crm/__init__.py\`) |

      **B. Testing & simulator** (0 pass, 0 warn, 1 fail)

      | # | Sev | Result | Finding |
      |---|---|---|---|
      | B11 | MAJ | ❌ fail | no live report (\`tests/unit/sources/acme_crm\`) |

      **C. Artifacts** (0 pass, 0 warn, 1 fail)

      | # | Sev | Result | Finding |
      |---|---|---|---|
      | C1 | B | ❌ fail | not assessed |"
    `);
  });

  it('says the label is added on a passing review', () => {
    const review = buildSelfReview({
      model: CHECK_IDS.map((id) => ({ id, result: 'pass' as const, finding: 'ok', citation: null })),
      bot: [],
      recommendations: [],
    });

    const body = renderSelfReviewComment({ ...BASE, review });

    expect(body.split('\n').slice(0, 4).join('\n')).toMatchInlineSnapshot(`
      "<!-- connector-self-review:acme_crm -->
      ### Self-review of \`acme_crm\`: READY (100/100)

      Reviewed [abc1234](https://github.com/acme/connectors/commit/abc1234def5678900000000000000000000000000) (batch 1) with the repository's rubric (\`self-review-connector\`, 54 checks). Label \`connector-self-reviewed\` added."
    `);
    expect(body).toContain('**E. Cross-doc consistency** (7 pass, 0 warn, 0 fail)');
  });

  it('says why a review could not be made', () => {
    const body = renderSelfReviewComment({
      ...BASE,
      review: {
        status: 'failed',
        reason: 'connector-self-reviewer reached its limit of 50 turns without submitting.',
      },
    });

    expect(body).toMatchInlineSnapshot(`
      "<!-- connector-self-review:acme_crm -->
      ### Self-review of \`acme_crm\`: not completed

      The self-review of [abc1234](https://github.com/acme/connectors/commit/abc1234def5678900000000000000000000000000) (batch 1) could not be completed: connector-self-reviewer reached its limit of 50 turns without submitting.

      The \`connector-self-reviewed\` label is not added. Nothing else waits on the review; it runs again after the next package build."
    `);
  });
});
