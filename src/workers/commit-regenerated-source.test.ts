import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import { approve, ciDone, drive, runAtGate, succeeded } from '../../test/helpers/pipeline.js';
import { mergedSourcePath } from '../domain/ci/results-artifact.js';
import type { RunEvent } from '../domain/pipeline/events.js';
import type { Run } from '../domain/pipeline/run.js';
import { StateConflictError } from '../errors.js';
import { commitRegeneratedSource } from './commit-regenerated-source.js';

type CiCompleted = Extract<RunEvent, { type: 'ci_completed' }>;

const PATH = mergedSourcePath('acme_crm');
const REGENERATED = { path: PATH, content: '# Merged Lakeflow Source: acme_crm\n' };
const STALE_ONLY = { pytest: 'passed', merged_source: 'failed', pylint: 'skipped', wheel: 'passed' } as const;

/** A run waiting for its package CI run, whose package commit is the branch head of `github`. */
function setUp() {
  const github = new InMemoryGitHub();
  const waiting = drive(runAtGate('docs_spec'), approve(), (r) => succeeded(r)).run;
  const head = github.pushCommit(waiting.branch, { [PATH]: '# merged by hand\n' }, 'package: files');
  const stages = { ...waiting.batch.stages, package: { ...waiting.batch.stages.package, commitSha: head } };
  const run: Run = { ...waiting, batch: { ...waiting.batch, stages } };
  const event = { ...(ciDone(run, 'failure', []) as CiCompleted), gates: { ...STALE_ONLY } };
  return { github, run, head, event };
}

describe('commitRegeneratedSource', () => {
  it('commits the regenerated file on the tested head and reports the run green', async () => {
    const { github, run, head, event } = setUp();

    const settled = await commitRegeneratedSource({ github, run, event, regenerated: REGENERATED });

    const commit = github.commits.at(-1);
    expect(commit).toMatchObject({ branch: run.branch, parent: head, paths: [PATH] });
    expect(commit?.message).toBe(
      `package: regenerate the merged source of acme_crm\n\nLakeflow-Job: ${event.runKey}-merged-source`,
    );
    expect(github.filesAt(run.branch).get(PATH)).toBe(REGENERATED.content);
    expect(settled).toEqual({
      ...event,
      conclusion: 'success',
      gates: { ...STALE_ONLY, merged_source: 'passed' },
      regeneratedCommit: commit?.sha,
    });
  });

  it("commits at the merged source path of the run's layout, and not a file at the upstream path", async () => {
    const { github, run: upstream, event } = setUp();
    const layout = {
      sources: 'connectors/sources',
      tests: 'connectors/tests',
      simulatorSpecs: 'connectors/sim',
    };
    const run: Run = { ...upstream, settings: { ...upstream.settings, layout } };
    const moved = mergedSourcePath('acme_crm', layout);

    const ignored = await commitRegeneratedSource({ github, run, event, regenerated: REGENERATED });
    const settled = await commitRegeneratedSource({
      github,
      run,
      event,
      regenerated: { ...REGENERATED, path: moved },
    });

    expect(moved).toBe('connectors/sources/acme_crm/_generated_acme_crm_python_source.py');
    expect(ignored.problem).toContain(`\`${PATH}\` may not be written: The package stage may only write`);
    expect(ignored.conclusion).toBe('failure');
    expect(github.commits.at(-1)?.paths).toEqual([moved]);
    expect(settled.conclusion).toBe('success');
  });

  it.each([
    [
      'another connector',
      mergedSourcePath('other_crm'),
      /`[^`]+other_crm[^`]+` may not be written: The package stage may only write/,
    ],
    [
      'the workflows',
      '.github/workflows/lakeflow-connector-tests.yml',
      /may not be written: Files under \.github\/ are never written/,
    ],
    [
      'a path that climbs out',
      `${PATH}/../../../../../../setup.py`,
      /may not be written: The path contains a \. or \.\. segment/,
    ],
    [
      "the connector's pyproject",
      PATH.replace(/_generated_.*$/, 'pyproject.toml'),
      /is not the merged source file/,
    ],
  ])(
    'commits nothing and fails the stage with the reason when CI supplies a file at %s',
    async (_what, path, reason) => {
      const { github, run, event } = setUp();
      const before = github.commits.length;

      const settled = await commitRegeneratedSource({
        github,
        run,
        event,
        regenerated: { ...REGENERATED, path },
      });

      expect(github.commits).toHaveLength(before);
      expect(settled.conclusion).toBe('failure');
      expect(settled.regeneratedCommit).toBeUndefined();
      expect(settled.problem).toMatch(
        /^The merged source file is out of date, and the file CI regenerated was not committed: /,
      );
      expect(settled.problem).toMatch(reason);
    },
  );

  it('commits nothing and fails the stage when the regenerated file holds a new credential, naming the line and not the value', async () => {
    const { github, run, event } = setUp();
    const token = 'ghp_Zx81LqPw03NcVb5RtYu7IoKs2DfGh4Jk6Mn9';
    const content = `# Merged Lakeflow Source: acme_crm\nAPI_TOKEN = "${token}"\n`;
    const before = github.commits.length;

    const settled = await commitRegeneratedSource({
      github,
      run,
      event,
      regenerated: { path: PATH, content },
    });

    expect(github.commits).toHaveLength(before);
    expect(settled.conclusion).toBe('failure');
    expect(settled.problem).toContain(
      `Refused to write ${PATH}: line 2 holds what looks like a credential (GitHub token)`,
    );
    expect(settled.problem).not.toContain(token);
  });

  it('commits a credential look-alike the merged file on the tested head already had', async () => {
    const { github, run: waiting, event } = setUp();
    const token = 'ghp_Zx81LqPw03NcVb5RtYu7IoKs2DfGh4Jk6Mn9';
    const head = github.pushCommit(waiting.branch, { [PATH]: `T = "${token}"\n` }, 'package: files');
    const stages = { ...waiting.batch.stages, package: { ...waiting.batch.stages.package, commitSha: head } };
    const run: Run = { ...waiting, batch: { ...waiting.batch, stages } };

    const settled = await commitRegeneratedSource({
      github,
      run,
      event,
      regenerated: { path: PATH, content: `# merged\nT = "${token}"\n` },
    });

    expect(settled.conclusion).toBe('success');
  });

  it('reuses its commit when the job runs again', async () => {
    const { github, run, event } = setUp();
    const first = await commitRegeneratedSource({ github, run, event, regenerated: REGENERATED });

    const again = await commitRegeneratedSource({ github, run, event, regenerated: REGENERATED });

    expect(again.regeneratedCommit).toBe(first.regeneratedCommit);
    expect(github.commits.filter((commit) => commit.message.includes('-merged-source'))).toHaveLength(1);
  });

  it('commits nothing and explains when the branch moved after the tested head', async () => {
    const { github, run, event } = setUp();
    const moved = github.pushCommit(run.branch, { 'README.md': 'pushed by someone\n' });
    const writes = github.writes;

    const settled = await commitRegeneratedSource({ github, run, event, regenerated: REGENERATED });

    expect(github.writes).toBe(writes);
    expect(settled.conclusion).toBe('failure');
    expect(settled.regeneratedCommit).toBeUndefined();
    expect(settled.problem).toContain(
      `the branch moved to \`${moved.slice(0, 7)}\` after the package CI run`,
    );
    expect(settled.problem).toContain('`/retry`');
  });

  it('lets a race on the branch ref surface as a retryable conflict', async () => {
    const { github, run, event } = setUp();
    const original = github.commitFiles.bind(github);
    github.commitFiles = async (params) => {
      github.pushCommit(run.branch, { 'README.md': 'raced\n' });
      return original(params);
    };

    const attempt = commitRegeneratedSource({ github, run, event, regenerated: REGENERATED });

    await expect(attempt).rejects.toBeInstanceOf(StateConflictError);
    await expect(attempt).rejects.toMatchObject({ retryable: true });
  });

  it.each<[string, (setup: ReturnType<typeof setUp>) => Parameters<typeof commitRegeneratedSource>[0]]>([
    [
      'another gate failed too',
      (s) => ({
        ...s,
        event: { ...s.event, gates: { ...STALE_ONLY, pylint: 'failed' } },
        regenerated: REGENERATED,
      }),
    ],
    [
      'pytest did not pass',
      (s) => ({
        ...s,
        event: { ...s.event, gates: { ...STALE_ONLY, pytest: 'skipped' } },
        regenerated: REGENERATED,
      }),
    ],
    [
      'the merged source passed',
      (s) => ({
        ...s,
        event: { ...s.event, gates: { ...STALE_ONLY, merged_source: 'passed' } },
        regenerated: REGENERATED,
      }),
    ],
    ['there is no regenerated file', (s) => ({ ...s, regenerated: undefined })],
    [
      'the results could not be read',
      (s) => ({ ...s, event: { ...s.event, problem: 'artifact missing' }, regenerated: REGENERATED }),
    ],
    [
      'the run was cancelled',
      (s) => ({ ...s, event: { ...s.event, conclusion: 'cancelled' }, regenerated: REGENERATED }),
    ],
    [
      'the run waits for another CI run',
      (s) => ({ ...s, event: { ...s.event, runKey: 'other-key' }, regenerated: REGENERATED }),
    ],
  ])('leaves the event alone and commits nothing when %s', async (_what, build) => {
    const setup = setUp();
    const params = build(setup);
    const writes = setup.github.writes;

    const settled = await commitRegeneratedSource(params);

    expect(settled).toBe(params.event);
    expect(setup.github.writes).toBe(writes);
  });
});
