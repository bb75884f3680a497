import { readFile } from 'node:fs/promises';
import type { Run, RunRef } from '../../src/domain/pipeline/run.js';
import type { RunStore } from '../../src/ports/run-store.js';
import type { FakeGitHub } from '../fakes/fake-github/index.js';
import { fixtureFiles } from './fixture-files.js';

const WORKFLOW = '.github/workflows/lakeflow-connector-tests.yml';

/**
 * A new repository on the fake GitHub holding the fixture target repository and the bot's workflow,
 * issue 7 asking for `source`, a branch with the work so far, and the run `build(planned)` returns
 * saved at that branch's head (every stage commit and the gate's head are set to it). For e2e tests
 * that start a run at a gate instead of driving it there.
 */
export async function seedFixtureRunAtGate(params: {
  fake: FakeGitHub;
  store: RunStore;
  owner: string;
  repo: string;
  source: string;
  branch: string;
  build: (planned: RunRef) => Run;
}): Promise<RunRef> {
  const { fake, owner, repo, source, branch } = params;
  fake.addRepo({
    owner,
    repo,
    files: {
      ...(await fixtureFiles()),
      [WORKFLOW]: await readFile(WORKFLOW, 'utf8'),
      '.github/lakeflow-connector-bot.yml': 'selfReview: false\n',
    },
  });
  fake.setPermission(owner, repo, 'maintainer', 'write');
  fake.addIssue({ owner, repo, number: 7, title: `[connector]: ${source}`, body: 'x', user: 'requester' });
  const ref: RunRef = { installationId: fake.installationId, owner, repo, issue: 7 };
  const head = fake.pushCommit({ owner, repo, branch, message: 'the work so far', files: {} });
  const atGate = params.build(ref);
  if (atGate.status.kind !== 'awaiting_approval') throw new Error('expected a gate');
  const stages = Object.fromEntries(
    Object.entries(atGate.batch.stages).map(([name, record]) => [
      name,
      record.commitSha === null ? record : { ...record, commitSha: head },
    ]),
  ) as Run['batch']['stages'];
  const run: Run = {
    ...atGate,
    source,
    branch,
    batch: { ...atGate.batch, stages },
    status: { ...atGate.status, headSha: head },
  };
  await params.store.save(ref, { run, outbox: null, appliedEventIds: [] }, 0);
  return ref;
}
