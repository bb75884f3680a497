import { describe, expect, it } from 'vitest';
import { REPO_CONFIG_PATH } from '../../config/repo-config.js';
import { DEFAULT_LAYOUT, FRAMEWORK_MODULES, MERGE_SCRIPT } from '../../domain/target-repo/layout.js';
import type { ExistingFile, InitFile } from '../init/plan-init.js';
import { checkRepository, moduleFiles } from './check-repository.js';

const INTERFACE = 'src/databricks/labs/community_connector/interface/__init__.py';
const SPARKPDS = 'src/databricks/labs/community_connector/sparkpds/__init__.py';
const HARNESS = 'tests/unit/sources/test_suite.py';
const FORM = '.github/ISSUE_TEMPLATE/new-connector.yml';
const WORKFLOW = '.github/workflows/lakeflow-connector-tests.yml';

const INIT_FILES: InitFile[] = [
  { path: FORM, content: 'name: New connector\n' },
  { path: WORKFLOW, content: 'name: tests\n' },
  { path: REPO_CONFIG_PATH, content: '# every key commented\n' },
];

/** A checkout the way upstream holds it, after `init`: every check passes. */
function healthyFiles(): Map<string, string> {
  const files = new Map<string, string>(FRAMEWORK_MODULES.map((path) => [path, '"""module"""\n']));
  files.set(
    INTERFACE,
    'from databricks.labs.community_connector.interface.lakeflow_connect import LakeflowConnect\n',
  );
  files.set(
    SPARKPDS,
    'from .lakeflow_datasource import (\n    LakeflowSource,\n    LakeflowBatchReader,\n)\n',
  );
  files.set(HARNESS, 'class LakeflowConnectTests:\n    pass\n');
  for (const file of INIT_FILES) files.set(file.path, file.content);
  return files;
}

function check(files: ReadonlyMap<string, string>, dirs: readonly string[] = Object.values(DEFAULT_LAYOUT)) {
  return checkRepository({
    view: {
      existing: (path): ExistingFile => {
        const content = files.get(path);
        if (content !== undefined) return { kind: 'file', content };
        return dirs.includes(path) ? { kind: 'other', reason: 'a folder, not a file' } : { kind: 'absent' };
      },
      isDirectory: (path) => dirs.includes(path),
    },
    initFiles: INIT_FILES,
  });
}

function checksOf(files: ReadonlyMap<string, string>, dirs?: readonly string[]) {
  return check(files, dirs).problems.map(({ check, file }) => `${check} ${file}`);
}

describe('checkRepository', () => {
  it('passes a checkout with the framework, the layout and the installed files', () => {
    const result = check(healthyFiles());

    expect(result.problems).toEqual([]);
    expect(result.layout).toEqual(DEFAULT_LAYOUT);
  });

  it('names each missing framework module once, and the merge script as such', () => {
    const files = healthyFiles();
    files.delete(SPARKPDS);
    files.delete(MERGE_SCRIPT);

    expect(checksOf(files)).toEqual([`framework_module ${SPARKPDS}`, `merge_script ${MERGE_SCRIPT}`]);
  });

  it.each([
    [
      'LakeflowConnect is neither imported nor defined',
      INTERFACE,
      'from .agent_protocol import AgentError\n',
    ],
    ['LakeflowSource is only mentioned in __all__', SPARKPDS, '__all__ = ["LakeflowSource"]\n'],
    ['the harness is imported, not defined', HARNESS, 'from .base import LakeflowConnectTests\n'],
    ['the harness is a function', HARNESS, 'def LakeflowConnectTests():\n    pass\n'],
  ])('reports a missing export when %s', (_name, path, text) => {
    const files = healthyFiles();
    files.set(path, text);

    const { problems } = check(files);

    expect(problems.map(({ check, file }) => `${check} ${file}`)).toEqual([`framework_export ${path}`]);
    expect(problems[0]?.message).toMatch(/import (LakeflowConnect|LakeflowSource|LakeflowConnectTests)`/);
  });

  it.each([
    ['defined as a class', INTERFACE, 'class LakeflowConnect:\n    pass\n'],
    ['assigned', SPARKPDS, 'LakeflowSource = make_source()\n'],
    ['imported under its own name', SPARKPDS, 'from x import Base as LakeflowSource\n'],
    ['star-imported', INTERFACE, 'from .lakeflow_connect import *\n'],
    [
      'imported inside try',
      SPARKPDS,
      'try:\n    from .a import LakeflowSource\nexcept ImportError:\n    pass\n',
    ],
  ])('accepts an export %s', (_name, path, text) => {
    const files = healthyFiles();
    files.set(path, text);

    expect(checksOf(files)).toEqual([]);
  });

  it('mentions a syntax error in a module that lacks the export', () => {
    const files = healthyFiles();
    files.set(HARNESS, 'class LakeflowConnectTest(:\n');

    expect(check(files).problems[0]?.message).toContain('syntax error at line 1');
  });

  it('asks for init when an installed file is missing and for init --force when it is stale', () => {
    const files = healthyFiles();
    files.delete(FORM);
    files.set(WORKFLOW, 'name: an older workflow\n');

    const { problems } = check(files);

    expect(problems).toEqual([
      expect.objectContaining({ check: 'installed_file', file: FORM }),
      expect.objectContaining({ check: 'installed_file', file: WORKFLOW }),
    ]);
    expect(problems[0]?.message).toContain('run `npx lakeflow-connector-bot init`.');
    expect(problems[1]?.message).toContain('run `npx lakeflow-connector-bot init` --force');
  });

  it('reports an installed path that is a folder', () => {
    const files = healthyFiles();
    files.delete(FORM);

    const { problems } = check(files, [...Object.values(DEFAULT_LAYOUT), FORM]);

    expect(problems).toEqual([expect.objectContaining({ check: 'installed_file', file: FORM })]);
    expect(problems[0]?.message).toContain('a folder, not a file');
  });

  it("keeps the repository's own settings, and checks the workflow under the name the config gives it", () => {
    const files = healthyFiles();
    files.set(REPO_CONFIG_PATH, 'workflow: connector-ci.yml\nenvironment: live\n');

    expect(checksOf(files)).toEqual(['installed_file .github/workflows/connector-ci.yml']);

    files.set('.github/workflows/connector-ci.yml', 'name: tests\n');
    expect(checksOf(files)).toEqual([]);
  });

  it('follows paths.* and reports a layout folder that is not there', () => {
    const files = healthyFiles();
    files.set(REPO_CONFIG_PATH, 'paths:\n  sources: connectors\n  tests: tests/connectors\n');

    const result = check(files, ['connectors', DEFAULT_LAYOUT.simulatorSpecs]);

    expect(result.layout).toEqual({
      sources: 'connectors',
      tests: 'tests/connectors',
      simulatorSpecs: DEFAULT_LAYOUT.simulatorSpecs,
    });
    expect(result.problems.map(({ check, file }) => `${check} ${file}`)).toEqual(['layout tests/connectors']);
    expect(result.problems[0]?.message).toContain('paths.tests');
  });

  it('reports an invalid config as a problem and goes on with the upstream layout', () => {
    const files = healthyFiles();
    files.set(REPO_CONFIG_PATH, 'paths:\n  sources: ../elsewhere\nbogus: 1\n');

    const result = check(files);

    expect(result.layout).toEqual(DEFAULT_LAYOUT);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ check: 'config', file: REPO_CONFIG_PATH });
    expect(result.problems[0]?.message).toContain('paths.sources');
    expect(result.problems[0]?.message).toContain('bogus: unknown key');
  });

  it('reports a config that is not YAML', () => {
    const files = healthyFiles();
    files.set(REPO_CONFIG_PATH, 'paths: [unclosed\n');

    expect(checksOf(files)).toEqual([`config ${REPO_CONFIG_PATH}`]);
  });
});

describe('moduleFiles', () => {
  it('looks for framework modules under src/ and others at the root', () => {
    expect(moduleFiles('databricks.labs.community_connector.interface')).toEqual([
      'src/databricks/labs/community_connector/interface/__init__.py',
      'src/databricks/labs/community_connector/interface.py',
    ]);
    expect(moduleFiles('tests.unit.sources.test_suite')).toEqual([
      'tests/unit/sources/test_suite/__init__.py',
      'tests/unit/sources/test_suite.py',
    ]);
  });
});
