import { describe, expect, it } from 'vitest';
import { buildGateRun, buildRun, buildStageRecord, buildUsage } from '../../../test/helpers/build-run.js';
import { renderStateMarker } from './markers.js';
import { renderPullRequestBody, renderStatusComment } from './status-comment.js';

/** The comment without its last line, after checking that line is the run's state marker. */
function visiblePart(body: string, run: Parameters<typeof renderStateMarker>[0]): string {
  const lines = body.split('\n');
  expect(lines.at(-1)).toBe(renderStateMarker(run));
  return lines.slice(0, -1).join('\n');
}

describe('renderStatusComment', () => {
  it('shows a fresh plan: nothing run, the branch not created yet', () => {
    const run = buildRun();

    const body = renderStatusComment(run);

    expect(visiblePart(body, run)).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:status -->
      **\`acme_crm\` connector** · batch 1 · ⏸ waiting for \`/approve\` of the plan

      - [ ] research
      - [ ] auth
      - [ ] implement
      - [ ] test & fix
      - [ ] docs ∥ spec
      - [ ] package

      branch \`lakeflow-connector/acme_crm\` (created on \`/approve\`) · spent $0.00 of $25.00
      "
    `);
  });

  it('shows the UX sketch: a gate after implement, auth skipped, PR open', () => {
    const run = buildGateRun();

    const body = renderStatusComment(run);

    expect(visiblePart(body, run)).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:status -->
      **\`acme_crm\` connector** · batch 1 of 2 · ⏸ waiting for \`/approve\` after *implement*

      - [x] research · [a1b2c3d](https://github.com/acme/lakeflow-community-connectors/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678) · 3m 10s · $0.84
      - [x] auth · [b2c3d4e](https://github.com/acme/lakeflow-community-connectors/commit/b2c3d4e5f60718293a4b5c6d7e8f9012345678a1) · live check skipped (\`/skip-auth\`) · label \`needs-live-testing\`
      - [x] implement · [d4e5f6a](https://github.com/acme/lakeflow-community-connectors/commit/d4e5f6a70718293a4b5c6d7e8f9012345678a1b2) · 6m 02s · $2.10
      - [ ] test & fix
      - [ ] docs ∥ spec
      - [ ] package

      [PR #57](https://github.com/acme/lakeflow-community-connectors/pull/57) (draft) · branch [\`lakeflow-connector/acme_crm\`](https://github.com/acme/lakeflow-community-connectors/tree/lakeflow-connector/acme_crm) · spent $2.94 of $25.00 · 412k input tokens (81% from cache) · 38k output
      "
    `);
  });

  it('says when CI re-checks a gate on a branch head that moved, and what waits on it', () => {
    const run = buildGateRun({
      status: {
        kind: 'waiting_for_ci',
        stage: 'package',
        mode: 'package',
        runKey: 'k3',
        headSha: 'f'.repeat(40),
        recheck: { kind: 'next_batch' },
      },
    });

    expect(visiblePart(renderStatusComment(run), run).split('\n')[1]).toBe(
      '**`acme_crm` connector** · batch 1 of 2 · ⏳ re-checking *package* in CI on the new branch head before the approval counts',
    );
  });

  describe('when the test stage waits for its second CI run', () => {
    it('marks the stage in progress and lists the CI runs under it', () => {
      const gate = buildGateRun();
      const ciRun = {
        stage: 'test' as const,
        mode: 'simulate' as const,
        batch: 1,
        passed: 0,
        failed: 0,
      };
      const run = buildGateRun({
        status: { kind: 'waiting_for_ci', stage: 'test', mode: 'simulate', runKey: 'k2' },
        testIterations: 2,
        batch: {
          ...gate.batch,
          stages: {
            ...gate.batch.stages,
            test: buildStageRecord({
              state: 'running',
              attempt: 2,
              commitSha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
              durationMs: 251_000,
              usage: buildUsage(1.234),
            }),
          },
        },
        ciRuns: [
          {
            ...ciRun,
            runKey: 'k1',
            url: 'https://github.com/acme/lcc/actions/runs/901',
            conclusion: 'failure',
          },
          { ...ciRun, runKey: 'k2', url: null, conclusion: 'pending' },
          { ...ciRun, runKey: 'k0', batch: 2, url: null, conclusion: 'success' },
        ],
      });

      const body = renderStatusComment(run);

      expect(visiblePart(body, run)).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:status -->
        **\`acme_crm\` connector** · batch 1 of 2 · ⏳ waiting for the simulate CI run of *test & fix*

        - [x] research · [a1b2c3d](https://github.com/acme/lakeflow-community-connectors/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678) · 3m 10s · $0.84
        - [x] auth · [b2c3d4e](https://github.com/acme/lakeflow-community-connectors/commit/b2c3d4e5f60718293a4b5c6d7e8f9012345678a1) · live check skipped (\`/skip-auth\`) · label \`needs-live-testing\`
        - [x] implement · [d4e5f6a](https://github.com/acme/lakeflow-community-connectors/commit/d4e5f6a70718293a4b5c6d7e8f9012345678a1b2) · 6m 02s · $2.10
        - [ ] ⏳ test & fix · waiting for CI (iteration 2 of 5) · [9f8e7d6](https://github.com/acme/lakeflow-community-connectors/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432) · 4m 11s · $1.23
          - CI: [#901](https://github.com/acme/lcc/actions/runs/901) red, run 2 running
        - [ ] docs ∥ spec
        - [ ] package

        [PR #57](https://github.com/acme/lakeflow-community-connectors/pull/57) (draft) · branch [\`lakeflow-connector/acme_crm\`](https://github.com/acme/lakeflow-community-connectors/tree/lakeflow-connector/acme_crm) · spent $2.94 of $25.00 · 412k input tokens (81% from cache) · 38k output
        "
      `);
    });
  });

  describe('when a stage failed', () => {
    it('says which stage and why, with untrusted text made inert', () => {
      const gate = buildGateRun();
      const run = buildGateRun({
        status: {
          kind: 'failed',
          stage: 'implement',
          reason:
            '`connector_spec.yaml` lists table `companies`,\nbut <!-- list_tables() --> does not return it.',
        },
        batch: {
          ...gate.batch,
          stages: {
            ...gate.batch.stages,
            implement: buildStageRecord({
              state: 'failed',
              attempt: 2,
              durationMs: 61_000,
              usage: buildUsage(0.5),
            }),
          },
        },
      });

      const body = renderStatusComment(run);

      expect(visiblePart(body, run)).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:status -->
        **\`acme_crm\` connector** · batch 1 of 2 · ✗ failed in *implement*

        - [x] research · [a1b2c3d](https://github.com/acme/lakeflow-community-connectors/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678) · 3m 10s · $0.84
        - [x] auth · [b2c3d4e](https://github.com/acme/lakeflow-community-connectors/commit/b2c3d4e5f60718293a4b5c6d7e8f9012345678a1) · live check skipped (\`/skip-auth\`) · label \`needs-live-testing\`
        - [ ] ✗ implement · failed · 1m 01s · $0.50
        - [ ] test & fix
        - [ ] docs ∥ spec
        - [ ] package

        **Why it stopped:** \`connector_spec.yaml\` lists table \`companies\`, but &lt;!-- list_tables() --&gt; does not return it.

        [PR #57](https://github.com/acme/lakeflow-community-connectors/pull/57) (draft) · branch [\`lakeflow-connector/acme_crm\`](https://github.com/acme/lakeflow-community-connectors/tree/lakeflow-connector/acme_crm) · spent $2.94 of $25.00 · 412k input tokens (81% from cache) · 38k output
        "
      `);
    });
  });

  describe('when the run is complete after two batches', () => {
    it('drops the draft mark and shows the second batch with auth skipped', () => {
      const base = buildRun();
      const done = buildStageRecord({
        commitSha: 'c0ffee0000000000000000000000000000000000',
        durationMs: 65_000,
      });
      const run = buildGateRun({
        status: { kind: 'done' },
        deferredTables: [],
        completedTables: ['contacts', 'deals', 'companies', 'notes', 'tasks'],
        batch: {
          number: 2,
          tables: ['notes', 'tasks'],
          stages: {
            research: done,
            auth: { ...base.batch.stages.auth, state: 'skipped', note: 'first batch only' },
            implement: done,
            test: done,
            docs_spec: done,
            package: done,
          },
        },
        usage: {
          inputTokens: 2_000_000,
          cacheReadTokens: 9_500_000,
          cacheWriteTokens: 500_000,
          outputTokens: 999_600,
          costUsd: 11.4,
        },
      });

      const body = renderStatusComment(run);

      expect(visiblePart(body, run)).toMatchInlineSnapshot(`
        "<!-- lakeflow-connector-bot:status -->
        **\`acme_crm\` connector** · batch 2 of 2 · ✅ complete

        - [x] research · [c0ffee0](https://github.com/acme/lakeflow-community-connectors/commit/c0ffee0000000000000000000000000000000000) · 1m 05s
        - [x] auth · skipped · first batch only · label \`needs-live-testing\`
        - [x] implement · [c0ffee0](https://github.com/acme/lakeflow-community-connectors/commit/c0ffee0000000000000000000000000000000000) · 1m 05s
        - [x] test & fix · [c0ffee0](https://github.com/acme/lakeflow-community-connectors/commit/c0ffee0000000000000000000000000000000000) · 1m 05s
        - [x] docs ∥ spec · [c0ffee0](https://github.com/acme/lakeflow-community-connectors/commit/c0ffee0000000000000000000000000000000000) · 1m 05s
        - [x] package · [c0ffee0](https://github.com/acme/lakeflow-community-connectors/commit/c0ffee0000000000000000000000000000000000) · 1m 05s

        [PR #57](https://github.com/acme/lakeflow-community-connectors/pull/57) · branch [\`lakeflow-connector/acme_crm\`](https://github.com/acme/lakeflow-community-connectors/tree/lakeflow-connector/acme_crm) · spent $11.40 of $25.00 · 12M input tokens (79% from cache) · 1M output
        "
      `);
    });
  });
});

describe('renderPullRequestBody', () => {
  it('closes the issue and lists the finished phases, without the state marker', () => {
    const run = buildGateRun();

    const body = renderPullRequestBody(run);

    expect(body).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:pr-body -->
      Closes #42.

      Adds the Lakeflow community connector \`acme_crm\`, built phase by phase with an approval gate after each.

      **\`acme_crm\` connector** · batch 1 of 2

      - [x] research · [a1b2c3d](https://github.com/acme/lakeflow-community-connectors/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678) · 3m 10s · $0.84
      - [x] auth · [b2c3d4e](https://github.com/acme/lakeflow-community-connectors/commit/b2c3d4e5f60718293a4b5c6d7e8f9012345678a1) · live check skipped (\`/skip-auth\`) · label \`needs-live-testing\`
      - [x] implement · [d4e5f6a](https://github.com/acme/lakeflow-community-connectors/commit/d4e5f6a70718293a4b5c6d7e8f9012345678a1b2) · 6m 02s · $2.10
      - [ ] test & fix
      - [ ] docs ∥ spec
      - [ ] package

      The run's state, spend and CI runs are in the status comment on #42. Commands work here and on #42; \`/help\` lists them."
    `);
  });

  it('stays the same while a phase runs, waits for CI or fails, and changes when it finishes', () => {
    const gate = buildGateRun();
    const running = buildGateRun({
      status: { kind: 'running', stage: 'test' },
      batch: {
        ...gate.batch,
        stages: {
          ...gate.batch.stages,
          test: buildStageRecord({ state: 'running', usage: buildUsage(0.4) }),
        },
      },
    });
    const failed = buildGateRun({
      batch: {
        ...gate.batch,
        stages: { ...gate.batch.stages, test: buildStageRecord({ state: 'failed', note: 'pytest failed' }) },
      },
    });
    const finished = buildGateRun({
      batch: {
        ...gate.batch,
        stages: {
          ...gate.batch.stages,
          test: buildStageRecord({ durationMs: 60_000, usage: buildUsage(1) }),
        },
      },
    });

    expect(renderPullRequestBody(running)).toBe(renderPullRequestBody(gate));
    expect(renderPullRequestBody(failed)).toBe(renderPullRequestBody(gate));
    expect(renderPullRequestBody(finished)).not.toBe(renderPullRequestBody(gate));
    expect(renderStatusComment(running)).not.toBe(renderStatusComment(gate));
  });
});
