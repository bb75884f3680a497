import { describe, expect, it } from 'vitest';
import { parseLsTree } from './git-objects.js';
import { buildLocalCiEnv, judge } from './local-ci.js';

const summary = (gates: Record<string, 'passed' | 'failed' | 'skipped'>) => ({
  version: 1 as const,
  source: 'demo',
  mode: 'simulate' as const,
  runKey: 'k',
  gates,
});

describe('judge', () => {
  it('passes when the required gate passed and nothing failed, whatever was skipped', () => {
    expect(
      judge(summary({ pytest: 'passed', merged_source: 'skipped', pylint: 'skipped' }), 'simulate', false),
    ).toEqual({
      conclusion: 'success',
      problem: null,
    });
  });

  it('fails when any gate failed', () => {
    expect(judge(summary({ pytest: 'passed', pylint: 'failed' }), 'simulate', false).conclusion).toBe(
      'failure',
    );
  });

  it('never reports a pass when pytest did not run, and says why', () => {
    const verdict = judge(summary({ pytest: 'skipped' }), 'package', false);

    expect(verdict.conclusion).toBe('failure');
    expect(verdict.problem).toContain('The pytest gate did not run locally (skipped)');
  });

  it('reports the time limit', () => {
    expect(judge(summary({ pytest: 'failed' }), 'simulate', true).conclusion).toBe('timed_out');
  });
});

describe('parseLsTree', () => {
  it('reads modes, types, sizes and paths with spaces and tabs from -z output', () => {
    const output =
      '100644 blob aaa     12\tdocs/a b.md\0' +
      '160000 commit bbb       -\tvendor/lib\0' +
      '100755 blob ccc\trun\tme.sh\0';

    expect(parseLsTree(output)).toEqual([
      { mode: '100644', type: 'blob', oid: 'aaa', size: 12, path: 'docs/a b.md' },
      { mode: '160000', type: 'commit', oid: 'bbb', size: null, path: 'vendor/lib' },
      { mode: '100755', type: 'blob', oid: 'ccc', size: null, path: 'run\tme.sh' },
    ]);
  });
});

describe('buildLocalCiEnv', () => {
  it('keeps paths, Python and the connector credentials, and drops the model key and other secrets', () => {
    const env = buildLocalCiEnv({
      PATH: '/usr/bin',
      PYTHONPATH: '/x',
      CONNECTOR_TEST_CONFIG_JSON: '{}',
      ANTHROPIC_API_KEY: 'sk-ant-secret',
      GITHUB_TOKEN: 'ghp_secret',
      AWS_SECRET_ACCESS_KEY: 'aws',
    });

    expect(env).toEqual({ PATH: '/usr/bin', PYTHONPATH: '/x', CONNECTOR_TEST_CONFIG_JSON: '{}' });
  });
});
