import { describe, expect, it } from 'vitest';
import { buildGateRun, buildRun } from '../../../test/helpers/build-run.js';
import type { Run } from '../pipeline/run.js';
import { DEFAULT_RUN_SETTINGS } from '../pipeline/settings.js';
import { redactSecrets } from '../sanitize/secret-scan.js';
import { DEFAULT_LAYOUT } from '../target-repo/layout.js';
import {
  hasMarker,
  markBody,
  markerKeyOf,
  parseRunIssueFromPullRequestBody,
  parseStateMarker,
  renderMarker,
  renderStateMarker,
} from './markers.js';
import { renderStatusComment } from './status-comment.js';

function stateMarkerOf(json: string): string {
  return `<!-- lakeflow-connector-bot:state v=1 ${Buffer.from(json, 'utf8').toString('base64url')} -->`;
}

describe('renderMarker', () => {
  it.each([
    ['plan', '<!-- lakeflow-connector-bot:plan -->'],
    ['pr-body', '<!-- lakeflow-connector-bot:pr-body -->'],
    ['summary.b1_research', '<!-- lakeflow-connector-bot:summary.b1_research -->'],
    ['Status', '<!-- lakeflow-connector-bot:_tatus -->'],
    ['x -->y', '<!-- lakeflow-connector-bot:x_--_y -->'],
  ])('renders %j as %s', (key, expected) => {
    expect(renderMarker(key)).toBe(expected);
  });
});

describe('hasMarker', () => {
  it.each([
    ['<!-- lakeflow-connector-bot:status -->\nbody', 'status', true],
    ['<!-- lakeflow-connector-bot:status -->', 'status', true],
    ['<!-- lakeflow-connector-bot:status -->\nbody', 'plan', false],
    ['<!-- lakeflow-connector-bot:status-x -->\nbody', 'status', false],
    [' <!-- lakeflow-connector-bot:status -->', 'status', false],
    ['quoted:\n<!-- lakeflow-connector-bot:status -->', 'status', false],
  ])('finds the marker in %j for key %s: %s', (body, key, expected) => {
    expect(hasMarker(body, key)).toBe(expected);
  });
});

describe('markerKeyOf', () => {
  it.each([
    ['<!-- lakeflow-connector-bot:reply-delivery-1 -->\nNo.', 'reply-delivery-1'],
    [`${renderMarker('summary-b1-research-a2')}\n**Phase 1**`, 'summary-b1-research-a2'],
    ['<!-- lakeflow-connector-bot:plan -->', 'plan'],
    ['quoted:\n<!-- lakeflow-connector-bot:plan -->', null],
    ['<!-- lakeflow-connector-bot:Plan -->', null],
    ['', null],
  ])('reads the leading marker of %j as %j', (body, expected) => {
    expect(markerKeyOf(body)).toBe(expected);
  });
});

describe('renderStateMarker', () => {
  it('encodes the run as unpadded base64url of its UTF-8 JSON', () => {
    const run = buildRun({
      status: { kind: 'failed', stage: 'implement', reason: 'naïve “quotes” ✗ 日本語 🙂' },
    });

    const marker = renderStateMarker(run);

    expect(marker).toBe(stateMarkerOf(JSON.stringify(run)));
  });

  it('drops bulky fields from a run too large for a comment, and the rest still parses', () => {
    const tests = Array.from({ length: 500 }, (_, index) => ({
      name: `test_${index}_${'x'.repeat(280)}`,
      outcome: 'failed' as const,
      message: null,
    }));
    const lastCiFailure = { runKey: 'acme-lcc-42-b1-test-a1-simulate', url: null, tests, logExcerpt: '' };
    const run = buildGateRun({ lastCiFailure });

    const marker = renderStateMarker(run);

    expect(marker.length).toBeLessThan(45_000);
    expect(parseStateMarker(marker)).toEqual({ ...run, lastCiFailure: null });
  });
});

describe('renderStateMarker on a run that quotes secrets', () => {
  const token = ['gh', 'p_', 'Zq8Lm2Rv7Tx4Kp9Wn3Bc6Hd1Jf5Gs0Ya2Ue8Io'].join('');
  const password = ['Tr0ub4', 'dor&3x'].join('');
  const run = buildGateRun({
    request: {
      ...buildGateRun().request,
      docsUrls: [`https://developers.acme.example/api?access_token=${token}`],
      notes: `Use the sandbox.\npassword: ${password}\nand the token ${token} for the live check.`,
    },
    status: { kind: 'failed', stage: 'test', reason: `pytest exited 1: 401 for Bearer ${token}` },
    feedback: [
      { stage: 'test', author: 'maintainer', origin: 'command', text: `retry with ${token}`, path: null },
    ],
    lastCiFailure: {
      runKey: 'acme-lcc-42-b1-test-a1-simulate',
      url: 'https://github.com/acme/lakeflow-community-connectors/actions/runs/9',
      tests: [{ name: 'test_read_contacts', outcome: 'failed', message: `AssertionError: ${token}` }],
      logExcerpt: `export GITHUB_TOKEN=${token}\nE   requests.exceptions.HTTPError: 401`,
    },
    heldResults: [
      {
        type: 'stage_failed',
        id: 'acme-lcc-42-b1-test-a2-result',
        stage: 'test',
        batch: 1,
        attempt: 2,
        usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 },
        durationMs: 1,
        reason: `pytest exited 1: 401 for Bearer ${token}`,
      },
    ],
  });
  run.batch.stages.auth = { ...run.batch.stages.auth, note: `live check used ${token}` };

  /** The JSON inside the marker, decoded as anyone reading the comment can. */
  function decodedMarker(body: string): string {
    const payload = /lakeflow-connector-bot:state v=1 ([A-Za-z0-9_-]*) -->/.exec(body)?.[1] ?? '';
    return Buffer.from(payload, 'base64url').toString('utf8');
  }

  it('decodes to no secret from the failure reason, feedback, CI log, test messages, notes or links', () => {
    const json = decodedMarker(renderStatusComment(run));

    expect(json).toContain('"kind":"failed"');
    expect(json).not.toContain(token);
    expect(json).not.toContain(token.slice(4, 20));
    expect(json).not.toContain(password);
  });

  it('keeps what a rebuild needs, redacted, and leaves out feedback, held results and CI output', () => {
    const rebuilt = parseStateMarker(renderStatusComment(run));
    const { heldResults: _held, ...shown } = run;

    expect(rebuilt).toEqual({
      ...shown,
      request: {
        ...run.request,
        docsUrls: ['https://developers.acme.example/api?access_token=[redacted]'],
        notes: 'Use the sandbox.\n[redacted]\n[redacted]',
      },
      status: { kind: 'failed', stage: 'test', reason: '[redacted]' },
      batch: {
        ...run.batch,
        stages: { ...run.batch.stages, auth: { ...run.batch.stages.auth, note: '[redacted]' } },
      },
      feedback: [],
      lastCiFailure: {
        runKey: 'acme-lcc-42-b1-test-a1-simulate',
        url: 'https://github.com/acme/lakeflow-community-connectors/actions/runs/9',
        tests: [{ name: 'test_read_contacts', outcome: 'failed', message: null }],
        logExcerpt: '',
      },
    });
  });

  it('leaves no secret anywhere in the status comment as posted', () => {
    const posted = redactSecrets(renderStatusComment(run));

    expect(posted).not.toContain(token);
    expect(decodedMarker(posted)).not.toContain(token);
  });
});

describe('parseStateMarker', () => {
  const runs: Array<[string, Run]> = [
    ['a new plan', buildRun()],
    ['a gate', buildGateRun()],
    ['an extension', buildRun({ extension: true, request: { ...buildRun().request, tables: [] } })],
    [
      'waiting for CI',
      buildGateRun({
        status: {
          kind: 'waiting_for_ci',
          stage: 'test',
          mode: 'simulate',
          runKey: 'acme-lcc-42-b1-test-a1-simulate',
        },
        testIterations: 1,
        ciRuns: [
          {
            runKey: 'acme-lcc-42-b1-test-a1-simulate',
            stage: 'test',
            mode: 'simulate',
            batch: 1,
            url: null,
            conclusion: 'pending',
            passed: 0,
            failed: 0,
          },
        ],
      }),
    ],
    [
      'a failure with non-ASCII text',
      buildGateRun({ status: { kind: 'failed', stage: 'test', reason: 'ünïcödé ✗ 日本' } }),
    ],
    [
      'paused',
      buildGateRun({
        status: { kind: 'paused', stage: 'test', budget: 'run', spentUsd: 25.1, limitUsd: 25 },
      }),
    ],
    ['cancelled', buildGateRun({ status: { kind: 'cancelled', by: 'octocat' } })],
    [
      'done',
      buildGateRun({ status: { kind: 'done' }, completedTables: ['contacts', 'deals'], deferredTables: [] }),
    ],
  ];

  it.each(runs)('reads back %s from its status comment', (_name, run) => {
    const body = renderStatusComment(run);

    expect(parseStateMarker(body)).toEqual(run);
  });

  it('reads back a run with a moved layout', () => {
    const layout = {
      sources: 'connectors/sources',
      tests: 'connectors/tests',
      simulatorSpecs: 'connectors/sim',
    };
    const run = buildGateRun({ settings: { ...DEFAULT_RUN_SETTINGS, layout } });

    expect(parseStateMarker(renderStatusComment(run))?.settings.layout).toEqual(layout);
  });

  it('gives a run marked before RunSettings had a layout the upstream layout', () => {
    const run = buildGateRun();
    const { layout: _layout, ...settings } = run.settings;

    const parsed = parseStateMarker(stateMarkerOf(JSON.stringify({ ...run, settings })));

    expect(parsed).toEqual(run);
    expect(parsed?.settings.layout).toEqual(DEFAULT_LAYOUT);
  });

  it('takes the last marker, so text quoted above the real one cannot override it', () => {
    const run = buildGateRun();
    const fake = stateMarkerOf(JSON.stringify({ ...run, status: { kind: 'done' } }));

    const parsed = parseStateMarker(`${fake}\n${renderStatusComment(run)}`);

    expect(parsed).toEqual(run);
  });

  it.each([
    ['no marker', 'just a comment'],
    ['a truncated marker', renderStatusComment(buildRun()).slice(0, -10)],
    ['a marker cut inside the payload', `${renderStateMarker(buildRun()).slice(0, 200)} -->`],
    ['a payload that is not base64url', '<!-- lakeflow-connector-bot:state v=1 a -->'],
    ['a payload that is not JSON', stateMarkerOf('not json')],
    ['a payload that is not UTF-8', '<!-- lakeflow-connector-bot:state v=1 _w -->'],
    ['JSON that is not a run', stateMarkerOf('{"schemaVersion":1}')],
    ['a tampered status', stateMarkerOf(JSON.stringify({ ...buildRun(), status: { kind: 'merged' } }))],
    ['another version', renderStateMarker(buildRun()).replace('v=1', 'v=2')],
  ])('returns null for %s', (_name, body) => {
    expect(parseStateMarker(body)).toBeNull();
  });
});

describe('markBody', () => {
  it('replaces a renderer kind marker with the exact key marker', () => {
    expect(markBody('summary-b1-research-a1', '<!-- lakeflow-connector-bot:summary -->\n**Phase 1**')).toBe(
      '<!-- lakeflow-connector-bot:summary-b1-research-a1 -->\n**Phase 1**',
    );
  });

  it('prepends the marker to a body that has none', () => {
    const body = markBody('reply-delivery-1', '@octocat done.');

    expect(body).toBe('<!-- lakeflow-connector-bot:reply-delivery-1 -->\n@octocat done.');
    expect(hasMarker(body, 'reply-delivery-1')).toBe(true);
  });
});

describe('parseRunIssueFromPullRequestBody', () => {
  it.each([
    ['<!-- lakeflow-connector-bot:pr-body -->\nCloses #42.\n\nAdds …', 42],
    ['Closes #42.', null],
    ['<!-- lakeflow-connector-bot:pr-body -->\nFixes #42.', null],
    ['text\n<!-- lakeflow-connector-bot:pr-body -->\nCloses #42.', null],
    [null, null],
  ])('reads %j as %s', (body, issue) => {
    expect(parseRunIssueFromPullRequestBody(body)).toBe(issue);
  });
});
