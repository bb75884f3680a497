import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../errors.js';
import { STAGES, type Stage } from '../pipeline/phase.js';
import { connectorPaths } from '../target-repo/connector-paths.js';
import { DEFAULT_LAYOUT } from '../target-repo/layout.js';
import { matchGlob } from './glob.js';
import { buildPathPolicy, checkPath, normalizePath } from './path-policy.js';

const SRC = 'src/databricks/labs/community_connector/sources/acme_crm';
const TESTS = 'tests/unit/sources/acme_crm';
const SPECS = 'src/databricks/labs/community_connector/source_simulator/specs/acme_crm';

function allows(stage: Stage, path: string): boolean {
  return checkPath(buildPathPolicy({ stage, source: 'acme_crm' }), path).ok;
}

describe('matchGlob', () => {
  it.each([
    ['a/**', 'a/b', true],
    ['a/**', 'a/b/c/d.py', true],
    ['a/**', 'a', true],
    ['a/**', 'ab/c', false],
    ['a/**/z.py', 'a/z.py', true],
    ['a/**/z.py', 'a/b/c/z.py', true],
    ['a/*.py', 'a/x.py', true],
    ['a/*.py', 'a/b/x.py', false],
    ['a/_generated_*', 'a/_generated_acme_python_source.py', true],
    ['a/_generated_*', 'a/generated.py', false],
    ['a/*_x_*.md', 'a/p_x_q.md', true],
    ['a/*_x_*.md', 'a/_x.md', false],
    ['a/b.md', 'a/b.md', true],
    ['a/b.md', 'a/b.mdx', false],
  ])('matches %s against %s: %s', (glob, path, expected) => {
    expect(matchGlob(glob, path)).toBe(expected);
  });
});

describe('checkPath', () => {
  describe('when the path is refused whatever the stage', () => {
    it.each([
      ['empty', '', 'empty'],
      ['blank', '   ', 'empty'],
      ['absolute', '/etc/passwd', 'absolute'],
      ['a Windows drive', 'C:\\x', 'absolute'],
      ['a Windows drive with /', 'c:/x', 'absolute'],
      ['backslashes', `${SRC}\\acme_crm.py`, 'backslash'],
      ['a .. segment', `${SRC}/../../../../../../.github/workflows/x.yml`, '..'],
      ['a . segment', `${SRC}/./acme_crm.py`, '..'],
      ['a leading ./', `./${SRC}/acme_crm.py`, '..'],
      ['an empty segment', `${SRC}//acme_crm.py`, '//'],
      ['a folder', `${SRC}/`, 'folder'],
      ['a NUL byte', `${SRC}/a\u0000.py`, 'control'],
      ['a newline', `${SRC}/a\n.py`, 'control'],
      ['a DEL', `${SRC}/a\u007f.py`, 'control'],
      ['a right-to-left override', `${SRC}/a\u202e.py`, 'control'],
      ['over 300 characters', `${SRC}/${'a'.repeat(300)}.py`, '300'],
      ['a workflow', '.github/workflows/tests.yml', '.github'],
      ['.github in another case', '.GitHub/workflows/tests.yml', '.github'],
      ['the bot config', '.github/lakeflow-connector-bot.yml', '.github'],
      ['the git directory', '.git/config', '.git'],
      ['a nested .git', `${SRC}/.git/hooks/pre-commit`, '.git'],
      ['the root pyproject.toml', 'pyproject.toml', 'pyproject'],
      ['a lock', 'requirements/sources.txt', 'requirements/'],
      ['a conftest.py in the tests', `${TESTS}/conftest.py`, 'conftest'],
      ['a conftest.py at the root', 'conftest.py', 'conftest'],
      ['a deep conftest.py', `${SRC}/a/b/c/CONFTEST.py`, 'conftest'],
    ])('refuses %s', (_name, path, reason) => {
      for (const stage of STAGES) {
        const result = checkPath(buildPathPolicy({ stage, source: 'acme_crm' }), path);

        expect(result.ok).toBe(false);
        expect(result.ok ? '' : result.reason).toContain(reason);
      }
    });
  });

  describe('when the path is well formed', () => {
    it.each<[Stage, string, boolean]>([
      ['research', `${SRC}/acme_crm_api_doc.md`, true],
      ['research', `${SRC}/acme_crm.py`, false],
      ['research', 'src/databricks/labs/community_connector/sources/other/other_api_doc.md', false],
      ['auth', `${SRC}/connector_spec.yaml`, true],
      ['auth', `${TESTS}/auth_test.py`, true],
      ['auth', `${TESTS}/__init__.py`, true],
      ['auth', `${TESTS}/test_acme_crm_lakeflow_connect.py`, false],
      ['implement', `${SRC}/acme_crm.py`, true],
      ['implement', `${SRC}/__init__.py`, true],
      ['implement', `${SRC}/helpers/acme_crm_schemas.py`, true],
      ['implement', `${SPECS}/endpoints.yaml`, true],
      ['implement', `${SPECS}/corpus/contacts.json`, true],
      ['implement', `${SRC}/README.md`, false],
      ['implement', `${SRC}/pyproject.toml`, false],
      ['implement', `${SRC}/_generated_acme_crm_python_source.py`, false],
      ['implement', `${TESTS}/test_acme_crm_lakeflow_connect.py`, false],
      ['implement', 'src/databricks/labs/community_connector/sources/acme_crm_v2/x.py', false],
      ['implement', 'src/databricks/labs/community_connector/libs/utils.py', false],
      ['test', `${TESTS}/test_acme_crm_lakeflow_connect.py`, true],
      ['test', `${TESTS}/configs/dev_table_config.json`, true],
      ['test', `${SRC}/acme_crm.py`, true],
      ['test', `${SPECS}/corpus/deals.json`, true],
      ['test', `${SRC}/README.md`, false],
      ['test', 'tests/unit/sources/test_suite.py', false],
      ['docs_spec', `${SRC}/README.md`, true],
      ['docs_spec', `${SRC}/connector_spec.yaml`, true],
      ['docs_spec', `${SRC}/acme_crm.py`, false],
      ['package', `${SRC}/pyproject.toml`, true],
      ['package', `${SRC}/_generated_acme_crm_python_source.py`, true],
      ['package', `${SRC}/README.md`, false],
    ])('%s may write %s: %s', (stage, path, expected) => {
      expect(allows(stage, path)).toBe(expected);
    });

    it('names the stage and what it may write when refusing', () => {
      const result = checkPath(buildPathPolicy({ stage: 'research', source: 'acme_crm' }), 'README.md');

      expect(result).toEqual({
        ok: false,
        reason: `The research stage may only write ${SRC}/acme_crm_api_doc.md.`,
      });
    });

    it('lists the exceptions of the implement stage', () => {
      const result = checkPath(
        buildPathPolicy({ stage: 'implement', source: 'acme_crm' }),
        `${SRC}/README.md`,
      );

      expect(result.ok ? '' : result.reason).toBe(
        `The implement stage may only write ${SRC}/**, ${SPECS}/**; never ${SRC}/README.md, ${SRC}/pyproject.toml, ${SRC}/_generated_*.`,
      );
    });

    it('returns the path NFC-normalised', () => {
      const decomposed = `${SRC}/cafe\u0301.md`;

      expect(checkPath(buildPathPolicy({ stage: 'implement', source: 'acme_crm' }), decomposed)).toEqual({
        ok: true,
        path: `${SRC}/caf\u00e9.md`,
      });
    });

    it('follows configured connector folders', () => {
      const policy = buildPathPolicy({
        stage: 'test',
        source: 'acme_crm',
        paths: { sources: 'connectors', tests: 'checks', simulatorSpecs: 'sim' },
      });

      expect(checkPath(policy, 'connectors/acme_crm/acme_crm.py').ok).toBe(true);
      expect(checkPath(policy, 'checks/acme_crm/test_x.py').ok).toBe(true);
      expect(checkPath(policy, 'sim/acme_crm/endpoints.yaml').ok).toBe(true);
      expect(checkPath(policy, `${SRC}/acme_crm.py`).ok).toBe(false);
    });
  });
});

describe('normalizePath', () => {
  it('accepts paths no stage may write, such as a workflow, for reading', () => {
    expect(normalizePath('.github/workflows/tests.yml')).toEqual({
      ok: true,
      path: '.github/workflows/tests.yml',
    });
  });
});

describe('buildPathPolicy', () => {
  it.each([
    ['a source name with a slash', { source: 'acme/../x' }],
    ['a source name with a glob', { source: 'acme*' }],
    ['a folder with ..', { source: 'acme', paths: { sources: '../x', tests: 't', simulatorSpecs: 's' } }],
    ['a folder with a glob', { source: 'acme', paths: { sources: 's', tests: '**', simulatorSpecs: 's' } }],
    ['an absolute folder', { source: 'acme', paths: { sources: '/s', tests: 't', simulatorSpecs: 's' } }],
    [
      'a folder with a trailing /',
      { source: 'acme', paths: { sources: 's/', tests: 't', simulatorSpecs: 's' } },
    ],
  ])('throws InvariantError on %s', (_name, params) => {
    expect(() => buildPathPolicy({ stage: 'implement', ...params })).toThrow(InvariantError);
  });
});

describe('buildPathPolicy with a TargetLayout', () => {
  const layout = {
    sources: 'connectors/sources',
    tests: 'connectors/tests',
    simulatorSpecs: 'connectors/sim',
  };

  it('is the upstream layout when no paths are given', () => {
    expect(buildPathPolicy({ stage: 'test', source: 'acme_crm' })).toEqual(
      buildPathPolicy({ stage: 'test', source: 'acme_crm', paths: DEFAULT_LAYOUT }),
    );
  });

  it('allows exactly the connectorPaths of the layout, for every stage', () => {
    const p = connectorPaths('acme_crm', layout);
    const upstream = connectorPaths('acme_crm');
    const cases: Array<[Stage, string, string]> = [
      ['research', p.apiDoc, upstream.apiDoc],
      ['auth', p.authTest, upstream.authTest],
      ['implement', p.implementation, upstream.implementation],
      ['implement', p.simulatorEndpoints, upstream.simulatorEndpoints],
      ['test', p.testFile, upstream.testFile],
      ['docs_spec', p.readme, upstream.readme],
      ['package', p.pyproject, upstream.pyproject],
    ];
    for (const [stage, moved, original] of cases) {
      const policy = buildPathPolicy({ stage, source: 'acme_crm', paths: layout });
      expect(checkPath(policy, moved).ok, `${stage} ${moved}`).toBe(true);
      expect(checkPath(policy, original).ok, `${stage} ${original}`).toBe(false);
    }
  });

  it('narrows docs_spec to each agent file under the moved sources folder', () => {
    const policy = buildPathPolicy({
      stage: 'docs_spec',
      source: 'acme_crm',
      paths: layout,
      agent: 'connector-doc-writer',
    });
    expect(policy.allow).toEqual(['connectors/sources/acme_crm/README.md']);
  });
});

describe('buildPathPolicy for the parallel agents of docs_spec', () => {
  const policy = (agent: string) => buildPathPolicy({ stage: 'docs_spec', source: 'acme_crm', agent });

  it.each([
    ['connector-doc-writer', `${SRC}/README.md`, true],
    ['connector-doc-writer', `${SRC}/connector_spec.yaml`, false],
    ['connector-spec-generator', `${SRC}/connector_spec.yaml`, true],
    ['connector-spec-generator', `${SRC}/README.md`, false],
  ])('%s may write %s: %s', (agent, path, expected) => {
    expect(checkPath(policy(agent), path).ok).toBe(expected);
  });

  it('leaves the stage policy whole for an agent that owns no single file', () => {
    const whole = buildPathPolicy({ stage: 'docs_spec', source: 'acme_crm' });

    expect(buildPathPolicy({ stage: 'docs_spec', source: 'acme_crm', agent: 'someone-else' })).toEqual(whole);
  });
});
