import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { afterAll, afterEach, beforeAll, type Mock, vi } from 'vitest';
import { z } from 'zod';
import type { Permission } from '../../src/ports/github.js';

/**
 * The only file that imports nock (docs/architecture.md, Tests; Biome enforces it). nock 14 intercepts
 * Node's global fetch (undici), which is what Probot 14's Octokit uses, so no custom `request.fetch`
 * is needed.
 */

export const GITHUB_API = 'https://api.github.com';

/** Hosts tests may reach for real: Redis and local HTTP servers. */
const LOCAL_HOSTS = /(127\.0\.0\.1|localhost)/;

/** What nock's `no match` event tells about a request (a ClientRequest or its options). */
const RequestInfo = z.object({
  method: z.string().optional(),
  host: z.string().optional(),
  hostname: z.string().optional(),
  path: z.string().optional(),
});

/** Octokit for tests: Probot's, with retries and throttling off so a failure surfaces at once. */
export const TestOctokit = ProbotOctokit.defaults({
  retry: { enabled: false },
  throttle: { enabled: false },
});

/**
 * Registers the hooks of a test file that mocks HTTP: real network off (local servers such as
 * Redis stay reachable); after each test, fails it when a mock was not used or a request matched
 * no mock, then clears the mocks.
 */
export function useHttpMock(): void {
  const unmatched: string[] = [];
  const onNoMatch = (request: unknown, options?: unknown): void => {
    const seen = RequestInfo.safeParse(options ?? request);
    const info = seen.success ? seen.data : {};
    const host = info.hostname ?? info.host ?? '?';
    if (LOCAL_HOSTS.test(host)) return;
    unmatched.push(`${info.method ?? '?'} ${host}${info.path ?? ''}`);
  };
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(LOCAL_HOSTS);
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    const stray = unmatched.splice(0);
    nock.cleanAll();
    if (pending.length > 0 || stray.length > 0) {
      throw new Error(
        [
          pending.length > 0 ? `Mocks not called:\n  ${pending.join('\n  ')}` : '',
          stray.length > 0 ? `Requests no mock matched:\n  ${stray.join('\n  ')}` : '',
        ]
          .filter((part) => part !== '')
          .join('\n'),
      );
    }
  });
  afterAll(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    nock.enableNetConnect();
  });
}

/** A nock scope for the GitHub REST and GraphQL API. */
export function githubApi(): nock.Scope {
  return nock(GITHUB_API);
}

/**
 * A body matcher that accepts any body and records it: pass it as nock's body argument, then assert
 * `bodies(spy)` with `toEqual` or `toMatchInlineSnapshot`.
 */
export function bodySpy(): Mock<(body: unknown) => boolean> {
  return vi.fn((_body: unknown) => true);
}

/** The request bodies a `bodySpy` saw, in order. */
export function bodies(spy: Mock<(body: unknown) => boolean>): unknown[] {
  return spy.mock.calls.map(([body]) => body);
}

/** POST /app/installations/{id}/access_tokens → 201 with token `test-token`, valid for an hour. */
export function mockInstallationToken(installationId: number): nock.Scope {
  return githubApi()
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(201, {
      token: 'test-token',
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      permissions: {},
      repository_selection: 'all',
    });
}

/**
 * GET …/collaborators/{login}/permission, shaped as GitHub answers: the legacy `permission` folds
 * maintain into write and triage into read, `role_name` keeps the role.
 */
export function mockGetPermission(params: {
  owner: string;
  repo: string;
  login: string;
  permission: Permission;
}): nock.Scope {
  const legacy = { maintain: 'write', triage: 'read' } as const;
  const permission =
    params.permission === 'maintain' || params.permission === 'triage'
      ? legacy[params.permission]
      : params.permission;
  return githubApi()
    .get(`/repos/${params.owner}/${params.repo}/collaborators/${params.login}/permission`)
    .reply(200, { permission, role_name: params.permission, user: { login: params.login } });
}

/** An Octokit authenticated with the token `test-token`: no JWT, no installation-token request. */
export function octokitForTests(): ProbotOctokit {
  return new TestOctokit({ auth: { token: 'test-token' } });
}

/**
 * An installation Octokit the way the app gets one (`probot.auth(installationId)`), signed with a
 * throwaway key: its first request fetches an installation token, so mock `mockInstallationToken`.
 */
export async function installationOctokitForTests(installationId: number): Promise<ProbotOctokit> {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const probot = new Probot({ appId: 1, privateKey, Octokit: TestOctokit, log: pino({ level: 'silent' }) });
  return probot.auth(installationId);
}

/** Where GitHub redirects an artifact download (storage outside the API host, no auth). */
export const ARTIFACT_STORAGE = 'https://pipelines.actions.githubusercontent.test';

/** GET `artifactPath` (…/artifacts/{id}/zip) → 302 to storage → 200 with `zip`, as GitHub answers. */
export function mockDownload(params: { artifactPath: string; zip: Uint8Array }): nock.Scope {
  const blob = `/blob${params.artifactPath}`;
  githubApi()
    .get(params.artifactPath)
    .reply(302, '', { location: `${ARTIFACT_STORAGE}${blob}` });
  return nock(ARTIFACT_STORAGE)
    .get(blob)
    .reply(200, Buffer.from(params.zip), { 'content-type': 'application/zip' });
}

/** Where GitHub redirects a repository archive download (its archive host, a token in the query). */
export const ARCHIVE_HOST = 'https://codeload.github.test';

/**
 * GET `/repos/{repo}/tarball/{sha}` → 302 to the archive host → 200 with `tarball`, as GitHub
 * answers; `times` downloads are expected.
 */
export function mockTarball(params: { repo: string; sha: string; tarball: Buffer; times?: number }): void {
  const archive = `/${params.repo}/legacy.tar.gz/${params.sha}`;
  githubApi()
    .get(`/repos/${params.repo}/tarball/${params.sha}`)
    .times(params.times ?? 1)
    .reply(302, '', { location: `${ARCHIVE_HOST}${archive}?token=short-lived` });
  nock(ARCHIVE_HOST)
    .get(archive)
    .query({ token: 'short-lived' })
    .times(params.times ?? 1)
    .reply(200, params.tarball, { 'content-type': 'application/x-gzip' });
}
