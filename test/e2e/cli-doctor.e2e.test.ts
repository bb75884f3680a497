import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/lakeflow-connector-bot.js');
const FIXTURE = join(ROOT, 'test/fixtures/target-repo');

const PKG = 'src/databricks/labs/community_connector';
const SIMULATOR_INIT = `${PKG}/source_simulator/__init__.py`;
const CRM = `${PKG}/sources/example_crm`;
const CRM_INIT = `${CRM}/__init__.py`;
const CRM_CODE = `${CRM}/example_crm.py`;
const CRM_SPEC = `${CRM}/connector_spec.yaml`;
const CRM_ENDPOINTS = `${PKG}/source_simulator/specs/example_crm/endpoints.yaml`;

/** What `doctor --json` prints; parsing it with a strict schema holds the exact shape. */
const Problem = z.strictObject({ check: z.string(), file: z.string(), message: z.string() });
const Report = z.strictObject({
  repo: z.strictObject({ ok: z.boolean(), problems: z.array(Problem) }),
  connectors: z.array(z.strictObject({ source: z.string(), ok: z.boolean(), problems: z.array(Problem) })),
});
type Report = z.infer<typeof Report>;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `lakeflow-connector-bot` command, as a user would, in `cwd`. */
function runCli(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

async function doctorJson(repo: string): Promise<{ code: number; report: Report; stderr: string }> {
  const result = await runCli(['doctor', '--repo', repo, '--json'], tmpdir());
  return { code: result.code, report: Report.parse(JSON.parse(result.stdout)), stderr: result.stderr };
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lcb-doctor-'));
  temps.push(dir);
  return dir;
}

/** A temp copy of the fixture repository, a git checkout with `init` run on it (as a fork after setup). */
async function initialisedFixture(): Promise<string> {
  const repo = tempDir();
  cpSync(FIXTURE, repo, { recursive: true, filter: (path) => !path.includes('__pycache__') });
  await new Promise<void>((done, fail) => {
    execFile('git', ['init', '-q', repo], (error) => (error ? fail(error) : done()));
  });
  const init = await runCli(['init'], repo);
  expect(init.code, init.stdout + init.stderr).toBe(0);
  return repo;
}

function edit(repo: string, path: string, change: (text: string) => string): void {
  const full = join(repo, path);
  const before = readFileSync(full, 'utf8');
  const after = change(before);
  expect(after, `the edit of ${path} changed nothing`).not.toBe(before);
  writeFileSync(full, after);
}

/** Each problem as `check file`, the way the assertions name them. */
function named(problems: readonly z.infer<typeof Problem>[]): string[] {
  return problems.map(({ check, file }) => `${check} ${file}`);
}

describe('lakeflow-connector-bot doctor', () => {
  // One clean run, shared: what the fixture itself reports, against which a broken copy's are compared.
  let clean: { code: number; report: Report; stderr: string };
  beforeAll(async () => {
    const repo = await initialisedFixture();
    clean = await doctorJson(repo);
    rmSync(repo, { recursive: true, force: true });
  }, 120_000);

  describe('on the fixture after init', () => {
    it('passes the repository and every connector, and exits 0', () => {
      const failing = clean.report.connectors
        .filter((connector) => !connector.ok)
        .map(
          ({ source, problems }) =>
            `${source}: ${problems.map((p) => `${p.check}: ${p.message}`).join('; ')}`,
        );

      expect(clean.report.repo.problems).toEqual([]);
      expect(clean.report.connectors.map(({ source }) => source)).toEqual(['example_crm']);
      expect(failing).toEqual([]);
      expect(clean.code, clean.stderr).toBe(0);
    });

    it('prints one table: a ✅ row each, then the counts', async () => {
      const repo = await initialisedFixture();

      const result = await runCli(['doctor'], repo);

      const lines = result.stdout.trimEnd().split('\n');
      expect(result.stdout).toMatch(/^✅ \(repository\)$/m);
      expect(result.stdout).toMatch(/^✅ example_crm$/m);
      expect(lines.at(-1)).toBe('repository ✅ · 1 connector: 1 ✅ 0 ❌ (0 problems)');
      expect(result.code, result.stdout + result.stderr).toBe(0);
    });
  });

  describe('on a broken copy', () => {
    it('names each problem in the JSON and exits 1', async () => {
      const repo = await initialisedFixture();
      rmSync(join(repo, SIMULATOR_INIT));
      edit(repo, CRM_INIT, (text) =>
        text.replace(
          /\nclass ExampleCrmDataSource\(LakeflowSource\):[\s\S]*?_lakeflow_connect_cls = \w+\n/,
          '',
        ),
      );
      edit(
        repo,
        CRM_ENDPOINTS,
        (text) => `${text}\n  - path: /v1/deals\n    method: GET\n    corpus: deals\n`,
      );
      edit(repo, CRM_CODE, (text) =>
        text.replace(
          /(\n(\s+)self\.client_id = options\["client_id"\]\n)/,
          '$1$2self.region = options.get("region", "eu")\n',
        ),
      );

      const { code, report } = await doctorJson(repo);

      const crm = report.connectors.find(({ source }) => source === 'example_crm');
      const cleanCrm = clean.report.connectors.find(({ source }) => source === 'example_crm');
      const added = named(crm?.problems ?? []).filter(
        (item) => !named(cleanCrm?.problems ?? []).includes(item),
      );
      expect(code).toBe(1);
      expect(report.repo).toEqual({
        ok: false,
        problems: [expect.objectContaining({ check: 'framework_module', file: SIMULATOR_INIT })],
      });
      expect(crm?.ok).toBe(false);
      expect(added.sort()).toEqual(
        [`data_source ${CRM_INIT}`, `options ${CRM_SPEC}`, `simulator ${CRM_ENDPOINTS}`].sort(),
      );
      const messages = crm?.problems.map(({ message }) => message).join('\n');
      expect(messages).toContain('DataSource');
      expect(messages).toContain('`corpus/deals.json` is missing');
      expect(messages).toContain('`region`');
    });

    it('lists the repository problems first in the table and ends with the counts', async () => {
      const repo = await initialisedFixture();
      rmSync(join(repo, '.github/ISSUE_TEMPLATE/new-connector.yml'));

      const result = await runCli(['doctor', '-C', repo], tmpdir());

      const lines = result.stdout.trimEnd().split('\n');
      const repositoryRow = lines.findIndex((line) => line.startsWith('❌ (repository)'));
      expect(result.code, result.stderr).toBe(1);
      expect(repositoryRow).toBeGreaterThan(0);
      expect(lines[repositoryRow + 1]).toMatch(
        /^ {5}installed_file {2,}\.github\/ISSUE_TEMPLATE\/new-connector\.yml {2,}is missing: run `npx lakeflow-connector-bot init`\.$/,
      );
      expect(lines.findIndex((line) => line.includes(' example_crm'))).toBeGreaterThan(repositoryRow);
      expect(lines.at(-1)).toMatch(/^repository ❌ \(1 problem\) · 1 connector: /);
    });
  });

  describe('with a repository config', () => {
    it('reads the connectors where paths.* puts them', async () => {
      const repo = await initialisedFixture();
      renameSync(join(repo, 'tests/unit/sources/example_crm'), join(repo, 'tests/example_crm'));
      edit(repo, '.github/lakeflow-connector-bot.yml', (text) => `${text}\npaths:\n  tests: tests\n`);

      const { report } = await doctorJson(repo);

      expect(report.repo.problems).toEqual([]);
      expect(report.connectors).toEqual(clean.report.connectors);
    });

    it('reports an invalid config as a repository problem, not a crash', async () => {
      const repo = await initialisedFixture();
      edit(repo, '.github/lakeflow-connector-bot.yml', (text) => `${text}\npaths:\n  tests: ../outside\n`);

      const { code, report } = await doctorJson(repo);

      expect(code).toBe(1);
      expect(named(report.repo.problems)).toEqual(['config .github/lakeflow-connector-bot.yml']);
      expect(report.repo.problems[0]?.message).toContain('paths.tests');
      expect(report.connectors.map(({ source }) => source)).toEqual(['example_crm']);
    });
  });

  describe('with bad arguments', () => {
    it.each([
      [['doctor', '--bogus'], 'error: unknown option: --bogus'],
      [['doctor', '--repo'], 'error: --repo needs a folder'],
      [['doctor', 'somewhere'], 'error: unexpected argument: somewhere'],
    ])('prints the usage on stderr and exits 2 for %j', async (args, message) => {
      const result = await runCli(args, tempDir());

      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('usage: lakeflow-connector-bot doctor');
      expect(result.stdout).toBe('');
    });

    it.each([
      [
        'is a file',
        (dir: string) => {
          writeFileSync(join(dir, 'file.txt'), 'x');
          return join(dir, 'file.txt');
        },
        'is not a folder',
      ],
      ['does not exist', (dir: string) => join(dir, 'missing'), 'does not exist'],
    ])('exits 2 when DIR %s', async (_name, target, message) => {
      const dir = tempDir();

      const result = await runCli(['doctor', '--repo', target(dir), '--json'], dir);

      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    });

    it('lists doctor in the help', async () => {
      const result = await runCli(['help'], tempDir());

      expect(result.stdout).toMatch(/^ {2}doctor {2,}check a checkout/m);
    });
  });
});
