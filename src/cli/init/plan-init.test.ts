import { describe, expect, it } from 'vitest';
import { DEFAULT_REPO_CONFIG, parseRepoConfig } from '../../config/repo-config.js';
import { type ExistingFile, planInit, renderInitReport, stepsToWrite } from './plan-init.js';
import { renderNextSteps } from './render-next-steps.js';

const FILE = { path: '.github/workflows/lakeflow-connector-tests.yml', content: 'name: tests\non: push\n' };

describe('planInit', () => {
  it.each<[string, ExistingFile, boolean, string, string | undefined]>([
    ['absent', { kind: 'absent' }, false, 'create', undefined],
    ['absent, forced', { kind: 'absent' }, true, 'create', undefined],
    ['identical', { kind: 'file', content: FILE.content }, false, 'unchanged', undefined],
    ['identical, forced', { kind: 'file', content: FILE.content }, true, 'unchanged', undefined],
    [
      'identical but CRLF',
      { kind: 'file', content: 'name: tests\r\non: push\r\n' },
      false,
      'unchanged',
      undefined,
    ],
    ['changed', { kind: 'file', content: 'name: mine\n' }, false, 'skip', 'changed, use --force'],
    ['changed, forced', { kind: 'file', content: 'name: mine\n' }, true, 'overwrite', undefined],
    ['a folder', { kind: 'other', reason: 'a folder, not a file' }, false, 'skip', 'a folder, not a file'],
    [
      'a folder, forced',
      { kind: 'other', reason: 'a folder, not a file' },
      true,
      'skip',
      'a folder, not a file',
    ],
  ])('when the target is %s', (_name, existing, force, action, reason) => {
    const [step] = planInit({ files: [FILE], existing: () => existing, force });

    expect(step).toEqual({ file: FILE, action, ...(reason === undefined ? {} : { reason }) });
  });

  it('writes only created and overwritten files', () => {
    const files = ['a', 'b', 'c'].map((path) => ({ path, content: 'new\n' }));
    const existing: Record<string, ExistingFile> = {
      a: { kind: 'absent' },
      b: { kind: 'file', content: 'new\n' },
      c: { kind: 'file', content: 'old\n' },
    };

    const steps = planInit({ files, existing: (path) => existing[path] ?? { kind: 'absent' }, force: true });

    expect(stepsToWrite(steps).map((step) => step.file.path)).toEqual(['a', 'c']);
  });
});

describe('renderInitReport', () => {
  const steps = planInit({
    files: ['x.yml', 'y.yml', 'z.yml'].map((path) => ({ path, content: 'new\n' })),
    existing: (path) =>
      path === 'x.yml'
        ? { kind: 'absent' }
        : path === 'y.yml'
          ? { kind: 'file', content: 'new\n' }
          : { kind: 'file', content: 'old\n' },
    force: false,
  });

  it('prints one aligned line per file', () => {
    expect(renderInitReport(steps, { dryRun: false })).toBe(
      'created    x.yml\nunchanged  y.yml\nskipped    z.yml (changed, use --force)\n',
    );
  });

  it('says what would happen in a dry run', () => {
    expect(renderInitReport(steps, { dryRun: true })).toBe(
      'would create  x.yml\nunchanged     y.yml\nwould skip    z.yml (changed, use --force)\n',
    );
  });
});

describe('renderNextSteps', () => {
  it('names the default environment, secret and label', () => {
    const text = renderNextSteps(DEFAULT_REPO_CONFIG);

    expect(text).toContain('create "lakeflow-live" with required reviewers');
    expect(text).toContain('CONNECTOR_TEST_CONFIG_JSON');
    expect(text).toContain('gh label create lakeflow-connector\n');
    expect(text).toContain('Install the GitHub App');
    expect(text).not.toContain('Note:');
  });

  it('uses the names of a customised config and flags a renamed workflow', () => {
    const config = parseRepoConfig(
      'environment: connector live\nlabels: { request: "it\'s new" }\nworkflow: connector-ci.yml\n',
    );

    const text = renderNextSteps(config);

    expect(text).toContain('create "connector live" with required reviewers');
    expect(text).toContain(`gh label create 'it'\\''s new'`);
    expect(text).toContain('Rename the file to .github/workflows/connector-ci.yml');
  });

  it('ends by suggesting doctor, on the checkout init was given', () => {
    expect(renderNextSteps(DEFAULT_REPO_CONFIG).trimEnd().split('\n').at(-1)).toBe(
      '  npx lakeflow-connector-bot doctor',
    );
    expect(renderNextSteps(DEFAULT_REPO_CONFIG, { repoArg: "/tmp/my fork's" }).trimEnd()).toMatch(
      /\n {2}npx lakeflow-connector-bot doctor --repo '\/tmp\/my fork'\\''s'$/,
    );
  });
});
