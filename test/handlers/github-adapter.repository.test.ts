import { describe, expect, it } from 'vitest';
import { createOctokitGitHub } from '../../src/adapters/github/octokit-github.js';
import type { CheckState } from '../../src/ports/github.js';
import {
  bodies,
  bodySpy,
  githubApi,
  mockGetPermission,
  octokitForTests,
  useHttpMock,
} from '../helpers/http-mock.js';

const REPO = { installationId: 7, owner: 'acme', repo: 'connectors' };
const HEAD = 'b'.repeat(40);
const NOW = new Date('2026-11-20T10:00:00.000Z');
const CHECK = 'lakeflow-connector-bot / Testing';

function createGitHub() {
  return createOctokitGitHub({
    repo: REPO,
    getOctokit: async () => octokitForTests(),
    botLogin: 'bot[bot]',
    clock: { now: () => NOW },
  });
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

describe('createOctokitGitHub checks, permissions and contents', () => {
  useHttpMock();

  describe('upsertCheckRun', () => {
    const checkRuns = `/repos/acme/connectors/commits/${HEAD}/check-runs`;
    const output = { title: 'Testing', summary: 'Batch 1 of `acme_crm`' };

    it('creates the check run when the commit has none by that name', async () => {
      const created = bodySpy();
      githubApi().get(checkRuns).query({ check_name: CHECK }).reply(200, { total_count: 0, check_runs: [] });
      githubApi().post('/repos/acme/connectors/check-runs', created).reply(201, { id: 1 });

      await createGitHub().upsertCheckRun({ name: CHECK, headSha: HEAD, state: 'in_progress', ...output });

      expect(bodies(created)).toEqual([{ name: CHECK, head_sha: HEAD, status: 'in_progress', output }]);
    });

    it('updates the check run the commit has', async () => {
      const updated = bodySpy();
      githubApi()
        .get(checkRuns)
        .query({ check_name: CHECK })
        .reply(200, { total_count: 1, check_runs: [{ id: 55, name: CHECK }] });
      githubApi().patch('/repos/acme/connectors/check-runs/55', updated).reply(200, { id: 55 });

      await createGitHub().upsertCheckRun({ name: CHECK, headSha: HEAD, state: 'failure', ...output });

      expect(bodies(updated)).toEqual([
        { status: 'completed', conclusion: 'failure', completed_at: '2026-11-20T10:00:00.000Z', output },
      ]);
    });

    it.each<[CheckState, Record<string, string>]>([
      ['queued', { status: 'queued' }],
      ['in_progress', { status: 'in_progress' }],
      ['success', { status: 'completed', conclusion: 'success', completed_at: NOW.toISOString() }],
      ['failure', { status: 'completed', conclusion: 'failure', completed_at: NOW.toISOString() }],
      ['cancelled', { status: 'completed', conclusion: 'cancelled', completed_at: NOW.toISOString() }],
    ])('maps %s to %o', async (state, fields) => {
      const updated = bodySpy();
      githubApi()
        .get(checkRuns)
        .query({ check_name: CHECK })
        .reply(200, { total_count: 1, check_runs: [{ id: 55 }] });
      githubApi().patch('/repos/acme/connectors/check-runs/55', updated).reply(200, { id: 55 });

      await createGitHub().upsertCheckRun({ name: CHECK, headSha: HEAD, state, ...output });

      expect(bodies(updated)).toEqual([{ ...fields, output }]);
    });
  });

  describe('getPermission', () => {
    it.each(['admin', 'maintain', 'write', 'triage', 'read'] as const)('returns %s', async (permission) => {
      mockGetPermission({ owner: 'acme', repo: 'connectors', login: 'alice', permission });

      expect(await createGitHub().getPermission('alice')).toBe(permission);
    });

    it('keeps the base permission of a custom role', async () => {
      githubApi()
        .get('/repos/acme/connectors/collaborators/carol/permission')
        .reply(200, { permission: 'write', role_name: 'connector-reviewer', user: { login: 'carol' } });

      expect(await createGitHub().getPermission('carol')).toBe('write');
    });

    it('returns none for a user who is not a collaborator (404)', async () => {
      githubApi()
        .get('/repos/acme/connectors/collaborators/mallory/permission')
        .reply(404, { message: 'mallory is not a user' });

      expect(await createGitHub().getPermission('mallory')).toBe('none');
    });
  });

  describe('pathExists', () => {
    const path = '/repos/acme/connectors/contents/src%2Fsources%2Facme_crm%2Facme_crm.py';

    it('returns true when the path exists on the default branch', async () => {
      githubApi().get(path).reply(200, { type: 'file', sha: 's1', content: '', encoding: 'base64' });

      expect(await createGitHub().pathExists('src/sources/acme_crm/acme_crm.py')).toBe(true);
    });

    it('returns false on 404', async () => {
      githubApi().get(path).reply(404, { message: 'Not Found' });

      expect(await createGitHub().pathExists('src/sources/acme_crm/acme_crm.py')).toBe(false);
    });
  });

  describe('readFile', () => {
    const config = '/repos/acme/connectors/contents/.github%2Flakeflow-connector-bot.yml';

    it('decodes the base64 content at the ref', async () => {
      githubApi()
        .get(config)
        .query({ ref: 'lakeflow/acme-crm' })
        .reply(200, {
          type: 'file',
          sha: 's1',
          encoding: 'base64',
          content: base64('approvers: [alice]\n# ✓\n'),
        });

      const text = await createGitHub().readFile({
        path: '.github/lakeflow-connector-bot.yml',
        ref: 'lakeflow/acme-crm',
      });

      expect(text).toBe('approvers: [alice]\n# ✓\n');
    });

    it('reads the default branch when no ref is given', async () => {
      githubApi()
        .get(config)
        .reply(200, { type: 'file', sha: 's1', encoding: 'base64', content: `${base64('a: 1\n')}\n` });

      expect(await createGitHub().readFile({ path: '.github/lakeflow-connector-bot.yml' })).toBe('a: 1\n');
    });

    it('returns null on 404', async () => {
      githubApi().get(config).reply(404, { message: 'Not Found' });

      expect(await createGitHub().readFile({ path: '.github/lakeflow-connector-bot.yml' })).toBeNull();
    });

    it('returns null for a directory', async () => {
      githubApi()
        .get('/repos/acme/connectors/contents/docs')
        .reply(200, [{ type: 'file', name: 'a.md', path: 'docs/a.md', sha: 's1' }]);

      expect(await createGitHub().readFile({ path: 'docs' })).toBeNull();
    });

    it('reads a file over 1 MB through its git blob', async () => {
      githubApi().get('/repos/acme/connectors/contents/big.json').reply(200, {
        type: 'file',
        sha: 'bigsha',
        encoding: 'none',
        content: '',
      });
      githubApi()
        .get('/repos/acme/connectors/git/blobs/bigsha')
        .reply(200, { sha: 'bigsha', encoding: 'base64', content: base64('{"big":true}') });

      expect(await createGitHub().readFile({ path: 'big.json' })).toBe('{"big":true}');
    });
  });
});
