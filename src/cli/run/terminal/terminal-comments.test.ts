import { describe, expect, it } from 'vitest';
import { buildRun } from '../../../../test/helpers/build-run.js';
import type { Summary } from '../../../domain/pipeline/effects.js';
import { StageFacts } from '../../../domain/pipeline/events.js';
import type { CiRunRecord, Run, TestCase } from '../../../domain/pipeline/run.js';
import { buildSelfReview } from '../../../domain/review/build-self-review.js';
import { CHECK_IDS } from '../../../domain/review/rubric.js';
import type { CheckResult } from '../../../domain/review/schema.js';
import { TERMINAL_COMMENTS } from './terminal-comments.js';

const HEAD = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
const SOURCES = 'src/databricks/labs/community_connector/sources/acme_crm';

/** A local run: its repository is the checkout, as `run` records it. */
function localRun(overrides: Partial<Run> = {}): Run {
  return buildRun({ repoUrl: 'file:///home/me/lakeflow-community-connectors', ...overrides });
}

function atGate(stage: 'research' | 'implement' | 'test'): Run {
  return localRun({ status: { kind: 'awaiting_approval', gate: { kind: 'stage', stage }, headSha: HEAD } });
}

function ciRun(patch: Partial<CiRunRecord>): CiRunRecord {
  return {
    runKey: 'k',
    stage: 'test',
    mode: 'simulate',
    batch: 1,
    url: null,
    conclusion: 'success',
    passed: 1,
    failed: 0,
    ...patch,
  };
}

const TESTS: TestCase[] = [
  { name: 'test_acme::TestAcme::test_read_table', outcome: 'passed', message: null },
  {
    name: 'test_acme::TestAcme::test_read_deletes',
    outcome: 'skipped',
    message: 'no cdc_with_deletes table',
  },
  { name: 'test_acme::TestAcme::test_schema', outcome: 'failed', message: 'AssertionError: | a | b |' },
];

const FACTS = StageFacts.parse({
  tables: ['contacts', 'deals'],
  deferredTables: ['notes'],
  authMethod: 'API key',
  ingestionTypes: { contacts: 'cdc', deals: 'snapshot' },
  files: [`${SOURCES}/acme_crm.py`, `${SOURCES}/__init__.py`],
});

/** Every kind of summary, with the run each is posted with. */
const SUMMARIES: ReadonlyArray<[Run, Summary]> = [
  [
    atGate('research'),
    { kind: 'stage', stage: 'research', batch: 1, attempt: 1, headSha: HEAD, facts: FACTS },
  ],
  [
    atGate('implement'),
    { kind: 'stage', stage: 'implement', batch: 2, attempt: 1, headSha: HEAD, facts: FACTS },
  ],
  [
    atGate('test'),
    {
      kind: 'tests',
      batch: 1,
      headSha: HEAD,
      tests: TESTS.slice(0, 2),
      ciRuns: [ciRun({ conclusion: 'failure' }), ciRun({ gates: { pytest: 'passed', pylint: 'skipped' } })],
    },
  ],
  [
    localRun({ status: { kind: 'failed', stage: 'test', reason: 'Tests still fail.' } }),
    { kind: 'stage_failed', stage: 'test', batch: 1, reason: 'Tests still fail.', tests: TESTS },
  ],
  [
    localRun({ status: { kind: 'awaiting_credentials', headSha: HEAD, lastCheck: 'none' } }),
    { kind: 'credentials', headSha: HEAD, lastCheck: 'none', problem: null },
  ],
  [
    localRun({ status: { kind: 'awaiting_credentials', headSha: HEAD, lastCheck: 'failed' } }),
    { kind: 'credentials', headSha: HEAD, lastCheck: 'failed', problem: 'The live auth check failed.' },
  ],
  [
    localRun({ status: { kind: 'paused', stage: 'implement', budget: 'stage', spentUsd: 8.4, limitUsd: 8 } }),
    { kind: 'paused', stage: 'implement', budget: 'stage', spentUsd: 8.4, limitUsd: 8 },
  ],
  [
    localRun({
      status: { kind: 'awaiting_approval', gate: { kind: 'next_batch' }, headSha: HEAD },
      completedTables: ['contacts'],
      deferredTables: ['notes'],
    }),
    { kind: 'batch_done', batch: 1, deferredTables: ['notes'] },
  ],
  [localRun({ status: { kind: 'done' }, completedTables: ['contacts'], auth: 'skipped' }), { kind: 'final' }],
  [
    localRun({ status: { kind: 'done' } }),
    { kind: 'live_check', passed: false, url: null, tests: TESTS, reason: 'The secret is not set.' },
  ],
];

function answers(overrides: Record<string, Omit<CheckResult, 'id'>>): CheckResult[] {
  return CHECK_IDS.filter((id) => id !== 'C1').map(
    (id) => ({ id, ...(overrides[id] ?? { result: 'pass', finding: 'ok', citation: null }) }) as CheckResult,
  );
}

/** What a terminal reader should never see: markdown tables, emphasis, code spans, slash commands, links. */
function expectTerminalText(text: string): void {
  expect(text).not.toMatch(/^\s*\|.*\|\s*$/m);
  expect(text).not.toMatch(/\/(approve|revise|cancel|retry|skip-auth|restart|add-tables|help)\b/);
  expect(text).not.toContain('file://');
  expect(text).not.toContain('**');
  expect(text).not.toContain('`');
  expect(text).not.toContain('<!--');
}

describe('TERMINAL_COMMENTS', () => {
  it.each(SUMMARIES.map(([run, summary]) => [summary.kind, run, summary] as const))(
    'writes the %s summary without markdown, commands or links',
    (_kind, run, summary) => {
      expectTerminalText(TERMINAL_COMMENTS.summary(run, summary));
    },
  );

  it('writes a stage summary as a title with the short commit, then its facts and files by their path in the checkout', () => {
    const [run, summary] = SUMMARIES[1] as [Run, Summary];

    expect(TERMINAL_COMMENTS.summary(run, summary)).toMatchInlineSnapshot(`
      "Phase 3, implement: connector implemented (batch 2) · commit 9f8e7d6
        Tables implemented: contacts (cdc), deals (snapshot)
        Files:
          src/databricks/labs/community_connector/sources/acme_crm/acme_crm.py
          src/databricks/labs/community_connector/sources/acme_crm/__init__.py"
    `);
  });

  it('lists a failed stage’s tests failures first, one line each, with their message', () => {
    const [run, summary] = SUMMARIES[3] as [Run, Summary];

    expect(TERMINAL_COMMENTS.summary(run, summary)).toMatchInlineSnapshot(`
      "Phase 4, test & fix failed: Tests still fail.
        1 passed, 1 failed, 1 skipped
        test_acme::TestAcme::…
        ✗ failed   test_schema: AssertionError: | a | b |
        - skipped  test_read_deletes: no cdc_with_deletes table
        ✓ passed   test_read_table
        Nothing was approved or merged."
    `);
  });

  it('names the answer that raises a spent budget as the terminal takes it', () => {
    const [run, summary] = SUMMARIES[6] as [Run, Summary];

    expect(TERMINAL_COMMENTS.summary(run, summary)).toContain(
      'a (approve) raises the stage budget by $5.00 (to $13.00) and runs implement again.',
    );
  });

  it('writes the plan with each phase’s files, without a table or a command', () => {
    const plan = TERMINAL_COMMENTS.plan(localRun());

    expectTerminalText(plan);
    expect(plan).toContain('Plan: build a Lakeflow community connector for acme_crm on branch');
    expect(plan).toContain(`    3 implement\n        ${SOURCES}/acme_crm.py\n`);
    expect(plan).toContain('Tables in scope: contacts, deals, companies (from your request)');
  });

  it('writes the self-review with the checks that did not pass and a tally per section', () => {
    const review = buildSelfReview({
      model: answers({
        A7: { result: 'fail', finding: 'No | pipes | here', citation: `${SOURCES}/acme_crm.py` },
      }),
      bot: [],
      recommendations: ['Handle **rate limits**'],
    });

    const text = TERMINAL_COMMENTS.selfReview({
      source: 'acme_crm',
      repoUrl: 'file:///home/me/checkout',
      batch: 1,
      headSha: HEAD,
      label: 'connector-self-reviewed',
      review,
    });

    expect(text).toMatch(/^Self-review of acme_crm: [A-Z ]+ \(\d+\/100\) · commit 9f8e7d6\n/);
    expect(text).toContain(`✗ fail A7 `);
    expect(text).toContain(`No | pipes | here (${SOURCES}/acme_crm.py)`);
    expect(text).not.toMatch(/✓ pass/);
    expect(text).not.toContain('file://');
    expect(text).not.toMatch(/^\s*\|.*\|\s*$/m);
  });

  it('writes a reply without the mention, with emphasis and code spans as plain text and commands as the terminal answers them', () => {
    const text = TERMINAL_COMMENTS.reply(
      '@alice updated the plan above. *research* will follow your instruction. The run is waiting for `/approve` of the plan; `/revise tables: a, b` changes the tables and `/add-tables a,b` adds some &lt;later&gt;.',
    );

    expect(text).toBe(
      '↳ updated the plan above. research will follow your instruction. The run is waiting for a (approve) of the plan; r tables: a, b (revise) changes the tables and add-tables a,b (on GitHub) adds some <later>.',
    );
  });

  it('writes a reply holding a table as one line per row', () => {
    const text = TERMINAL_COMMENTS.reply(
      '@alice the commands:\n\n| command | does |\n|---|---|\n| `/cancel` | stops |\n',
    );

    expectTerminalText(text);
    expect(text).toBe('↳ the commands:\n\n  command · does\n  c (cancel) · stops');
  });
});
