import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { RunRef } from '../../src/domain/pipeline/run.js';
import { attachFakeActions, type FakeActions } from '../fakes/fake-actions/index.js';
import {
  type FakeAnthropic,
  type FakeAnthropicRequest,
  type FakeError,
  type FakeReply,
  startFakeAnthropic,
} from '../fakes/fake-anthropic-server.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/fake-github/index.js';
import type { Fault } from '../fakes/fake-github/server.js';
import type { DispatchRecord } from '../fakes/fake-github/state.js';
import {
  brightdeskModel,
  isSelfReview,
  type ScriptedModel,
  SOURCE,
  selfReviewReply,
} from '../fixtures/transcripts/brightdesk/index.js';
import { fixtureFiles } from '../helpers/fixture-files.js';
import { createTestRedis, deleteKeysByPrefix, uniquePrefix } from '../helpers/redis.js';

export const OWNER = 'acme';
export const ISSUE = 7;
export const MAINTAINER = 'maintainer';
export const BOT = 'lakeflow-bot[bot]';
const WORKFLOW = '.github/workflows/lakeflow-connector-tests.yml';
const FORM = `### Source name\n\n${SOURCE}\n\n### API documentation links\n\nhttps://developer.brightdesk.example/api\n\n### Tables of interest\n\n_No response_\n\n### Notes\n\n_No response_\n`;

/** One GitHub request as the fault plan sees it. */
export interface GitHubCall {
  method: string;
  path: string;
  operation: string | undefined;
  /** For `POST /graphql`: the operation's first field (`createCommitOnBranch`: a stage's commit). */
  graphql?: string;
}

/** Decides whether a call fails; the world draws from it for GitHub and for the model. */
export interface FaultRates {
  /** Share of authenticated GitHub calls answered 5xx/429 (half of them after the write applied). */
  github: number;
  /** Share of model requests answered 500/529/429. */
  model: number;
}

/**
 * Everything outside the app for a chaos scenario: the fake GitHub (one repository per run, each
 * holding the fixture and the bot's workflow, each with its fake Actions running real pytest), the
 * fake Messages API playing the Brightdesk transcripts, a Redis prefix of its own, and hooks a
 * scenario uses to strike at chosen points (a GitHub call, a model request, a dispatch).
 */
export interface ChaosWorld {
  readonly github: FakeGitHub;
  readonly anthropic: FakeAnthropic;
  readonly model: ScriptedModel;
  readonly prefix: string;
  readonly redis: Redis;
  readonly refs: RunRef[];
  /** Each repository's fake Actions, in the order of `refs`. */
  readonly actions: FakeActions[];
  /** Faults injected so far, by kind. */
  readonly injected: { github: number; githubAfterWrite: number; model: number };
  rates: FaultRates;
  /** Called on every GitHub call (before the fault plan answers it). */
  onGitHubCall: ((call: GitHubCall) => void) | undefined;
  /** Called on every model request, before it is answered. */
  onModelRequest: ((request: FakeAnthropicRequest) => void) | undefined;
  /** Called (and awaited) after a dispatch was recorded and its run created, before the 204. */
  onDispatched: ((dispatch: DispatchRecord) => Promise<void> | void) | undefined;
  /** Opens run `index`'s request issue and delivers `issues.opened`. */
  openRequest(index: number): Promise<void>;
  /** Deletes every key of the app's prefix: run store, ledgers, queues and their jobs. */
  flushRedis(): Promise<number>;
  close(): Promise<void>;
}

/** A seeded pseudo-random source, so a scenario's faults repeat from one pass to the next. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

/** Starts the fakes and seeds `runs` repositories (`connectors-1` …) with a maintainer each. */
export async function startChaosWorld(params: { runs: number; seed: number }): Promise<ChaosWorld> {
  const random = seededRandom(params.seed);
  // Model faults draw from a stream of their own: a change in how many GitHub calls a run makes
  // must not move which model requests fail.
  const modelRandom = seededRandom(params.seed * 31 + 7);
  const github = await startFakeGitHub({ webhookSecret: `chaos-${params.seed}`, botLogin: BOT });
  const files = { ...(await fixtureFiles()), [WORKFLOW]: await readFile(WORKFLOW, 'utf8') };
  const refs: RunRef[] = [];
  const actions: FakeActions[] = [];
  for (let index = 1; index <= params.runs; index += 1) {
    const repo = `connectors-${index}`;
    github.addRepo({ owner: OWNER, repo, files });
    github.setPermission(OWNER, repo, MAINTAINER, 'write');
    refs.push({ installationId: github.installationId, owner: OWNER, repo, issue: ISSUE });
    actions.push(attachFakeActions(github, { owner: OWNER, repo, timeoutMs: 120_000 }));
  }
  const model = brightdeskModel();
  const anthropic = await startFakeAnthropic();
  const redis = createTestRedis();
  const prefix = uniquePrefix().replace(/^test-/, 'chaos-');

  const world: ChaosWorld = {
    github,
    anthropic,
    model,
    prefix,
    redis,
    refs,
    actions,
    injected: { github: 0, githubAfterWrite: 0, model: 0 },
    rates: { github: 0, model: 0 },
    onGitHubCall: undefined,
    onModelRequest: undefined,
    onDispatched: undefined,
    async openRequest(index) {
      const ref = refs[index];
      if (ref === undefined) throw new Error(`no run ${index}`);
      github.addIssue({
        owner: OWNER,
        repo: ref.repo,
        number: ISSUE,
        title: `[connector]: ${SOURCE}`,
        body: FORM,
        user: 'requester',
        labels: ['lakeflow-connector'],
      });
      const payload = github.issueOpenedPayload({ owner: OWNER, repo: ref.repo, number: ISSUE });
      await github.sendWebhook('issues', payload).catch(() => 0);
    },
    flushRedis: () => deleteKeysByPrefix(redis, prefix),
    async close() {
      for (const fake of [...actions].reverse()) await fake.close().catch(() => undefined);
      await anthropic.close();
      await github.close();
      await deleteKeysByPrefix(redis, prefix);
      redis.disconnect();
    },
  };

  github.faults = (call) => {
    world.onGitHubCall?.(call);
    if (random() >= world.rates.github) return null;
    const fault: Fault = {
      when: random() < 0.5 ? 'before' : 'after',
      status: ([500, 502, 503, 429] as const)[Math.floor(random() * 4)] ?? 502,
    };
    world.injected.github += 1;
    if (fault.when === 'after') world.injected.githubAfterWrite += 1;
    return fault;
  };
  const dispatchToActions = github.onDispatch;
  github.onDispatch = async (dispatch) => {
    await dispatchToActions?.(dispatch);
    await world.onDispatched?.(dispatch);
  };
  const playTranscript = model.turn as (request: FakeAnthropicRequest) => FakeReply | FakeError;
  const answer = (request: FakeAnthropicRequest): FakeReply | FakeError => {
    world.onModelRequest?.(request);
    if (modelRandom() < world.rates.model) {
      world.injected.model += 1;
      const status = ([500, 529, 429] as const)[Math.floor(modelRandom() * 3)] ?? 529;
      return { status, message: 'chaos: injected model failure' };
    }
    return isSelfReview(request) ? selfReviewReply(request) : playTranscript(request);
  };
  anthropic.script(...Array.from({ length: 20_000 }, () => answer));
  return world;
}
