import { describe, expect, it } from 'vitest';
import { InMemoryGitHub } from '../../test/fakes/in-memory-github.js';
import { RecordingJobQueue } from '../../test/fakes/recording-job-queue.js';
import {
  approve,
  ciDone,
  command,
  drive,
  failed,
  newRun,
  overBudget,
  succeeded,
} from '../../test/helpers/pipeline.js';
import { repoAccessOf } from '../../test/helpers/repo-access.js';
import { REPO_CONFIG_PATH } from '../config/repo-config.js';
import { COMMAND_NAMES } from '../domain/commands/schema.js';
import type { Effect } from '../domain/pipeline/effects.js';
import type { RunEvent } from '../domain/pipeline/events.js';
import type { Run } from '../domain/pipeline/run.js';
import { createLogger } from '../logging.js';
import { runEffects } from './run-effects.js';
import type { WorkerDeps } from './worker-deps.js';

/** A command named bare anywhere in a body: `/approve`, not `/lakeflow approve`. */
const BARE = new RegExp(`(?<![\\w/-])/(?:${COMMAND_NAMES.join('|')})(?![\\w-])`, 'g');

/** The effects that write text: comments and the PR body. */
const TEXT_EFFECTS = new Set<Effect['type']>([
  'upsert_plan',
  'sync_status',
  'reply',
  'post_summary',
  'ensure_pull_request',
]);

/** A run from its plan through every kind of gate, failure, pause, reply and summary to done. */
const STEPS: Array<(run: Run) => RunEvent> = [
  () => command({ type: 'help' }),
  () => command({ type: 'status' }),
  () => command({ type: 'retry' }),
  () => approve(),
  (run) => succeeded(run, { tables: run.batch.tables, deferredTables: ['invoices', 'notes'] }),
  () => approve(),
  (run) => succeeded(run),
  () => command({ type: 'skip-auth' }),
  (run) => failed(run),
  () => command({ type: 'retry' }),
  (run) => overBudget(run),
  () => approve(),
  (run) => succeeded(run),
  () => approve(),
  (run) => succeeded(run),
  (run) => ciDone(run, 'failure'),
  (run) => succeeded(run),
  (run) => ciDone(run, 'success'),
  () => approve(),
  (run) => succeeded(run),
  () => approve(),
  (run) => succeeded(run),
  (run) => ciDone(run, 'success'),
  () => command({ type: 'status' }),
  () => command({ type: 'cancel' }),
  () => command({ type: 'help' }),
];

/** Every comment body and PR body the effects runner writes along `STEPS`, in order. */
async function writtenAlongARun(config: string | null, operator = false): Promise<string[]> {
  const github = new InMemoryGitHub();
  if (config !== null) github.files.set(REPO_CONFIG_PATH, config);
  const written: string[] = [];
  const upsert = github.upsertComment.bind(github);
  github.upsertComment = (params) => {
    written.push(params.body);
    return upsert(params);
  };
  const ensure = github.ensurePullRequest.bind(github);
  github.ensurePullRequest = (params) => {
    written.push(params.body);
    return ensure(params);
  };
  const deps = {
    github: () => github,
    access: repoAccessOf(github),
    requireCommandPrefix: operator,
    jobs: new RecordingJobQueue(),
    clock: { now: () => new Date() },
    log: createLogger({ level: 'silent' }),
  } as unknown as WorkerDeps;
  let run = newRun();
  await runEffects(deps, { ref: run.ref, run }, [{ type: 'upsert_plan' }, { type: 'sync_status' }]);
  for (const step of STEPS) {
    const outcome = drive(run, step);
    run = outcome.run;
    const effects = outcome.effects.filter((effect) => TEXT_EFFECTS.has(effect.type));
    await runEffects(deps, { ref: run.ref, run }, effects);
  }
  expect(run.status.kind).toBe('done');
  return written;
}

/** Each bare mention with a little of the text around it, to show where it is. */
function bareMentions(bodies: readonly string[]): string[] {
  return bodies.flatMap((body) =>
    [...body.matchAll(BARE)].map((match) => body.slice(Math.max(0, match.index - 40), match.index + 20)),
  );
}

describe('the commands the bot writes in a repository that requires /lakeflow', () => {
  it.each([
    ['the repository config', 'commands:\n  requirePrefix: true\n', false],
    ['the operator', null, true],
  ] as const)(
    'are all prefixed when %s requires it: plan, status, summaries, replies, help and PR body',
    async (_who, config, operator) => {
      const written = await writtenAlongARun(config, operator);

      expect(bareMentions(written)).toEqual([]);
      const all = written.join('\n');
      expect(all).toContain('`/lakeflow approve`');
      expect(all).toContain('| `/lakeflow approve` | write access |');
      expect(all).toContain('`/lakeflow revise <feedback>`');
      expect(all).toContain('`/lakeflow help` lists them');
    },
  );

  it('are bare where neither requires it', async () => {
    const written = await writtenAlongARun('commands:\n  requirePrefix: false\n');

    expect(bareMentions(written).length).toBeGreaterThan(50);
    expect(written.join('\n')).toContain('| `/approve` | write access |');
  });
});
