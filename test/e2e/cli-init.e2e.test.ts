import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/lakeflow-connector-bot.js');

/** Target path → the file of this repository it must equal. */
const INSTALLED = {
  '.github/ISSUE_TEMPLATE/new-connector.yml': '.github/ISSUE_TEMPLATE/new-connector.yml',
  '.github/workflows/lakeflow-connector-tests.yml': '.github/workflows/lakeflow-connector-tests.yml',
  '.github/lakeflow-connector-bot.yml': 'templates/lakeflow-connector-bot.yml',
} as const;
const WORKFLOW = '.github/workflows/lakeflow-connector-tests.yml';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `lakeflow-connector-bot` command, as a user would, in `cwd`. */
function runCli(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lcb-init-'));
  temps.push(dir);
  return dir;
}

function emptyGitRepo(): Promise<string> {
  const dir = tempDir();
  return new Promise((done, fail) => {
    execFile('git', ['init', '-q', dir], (error) => (error ? fail(error) : done(dir)));
  });
}

function source(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

describe('lakeflow-connector-bot init', () => {
  describe('when the checkout is empty', () => {
    it('writes the issue form, the workflow and the config, each equal to its source', async () => {
      const repo = await emptyGitRepo();

      const result = await runCli(['init', repo], tempDir());

      expect(result.code, result.stdout + result.stderr).toBe(0);
      for (const [target, from] of Object.entries(INSTALLED)) {
        expect(readFileSync(join(repo, target), 'utf8'), target).toBe(source(from));
        expect(result.stdout).toMatch(new RegExp(`created\\s+${target.replace(/\./g, '\\.')}\\n`));
      }
      expect(result.stdout).toContain('Next steps:');
      expect(result.stdout).toContain('"lakeflow-live"');
      expect(result.stdout).toContain('CONNECTOR_TEST_CONFIG_JSON');
      expect(result.stderr).toContain('warning:');
      expect(result.stderr).toContain('src/databricks/labs/community_connector/');
    });

    it('defaults to the current folder and does not warn about a connector checkout', async () => {
      const repo = await emptyGitRepo();
      mkdirSync(join(repo, 'src/databricks/labs/community_connector'), { recursive: true });

      const result = await runCli(['init'], repo);

      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(readFileSync(join(repo, WORKFLOW), 'utf8')).toBe(source(WORKFLOW));
    });

    it('writes nothing with --dry-run', async () => {
      const repo = await emptyGitRepo();

      const result = await runCli(['init', repo, '--dry-run'], repo);

      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('Dry run, nothing written');
      expect(result.stdout).toMatch(/would create\s+\.github\/lakeflow-connector-bot\.yml/);
      expect(existsSync(join(repo, '.github'))).toBe(false);
    });
  });

  describe('when it ran before', () => {
    it('reports every file unchanged and exits 0', async () => {
      const repo = await emptyGitRepo();
      await runCli(['init', repo], repo);

      const result = await runCli(['init', repo], repo);

      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout.match(/^unchanged {2}/gm)).toHaveLength(3);
      expect(result.stdout).not.toMatch(/created|skipped|overwritten/);
    });

    it('skips a locally changed workflow, leaves it untouched and exits 1', async () => {
      const repo = await emptyGitRepo();
      await runCli(['init', repo], repo);
      const local = `${source(WORKFLOW)}\n# a maintainer's change\n`;
      writeFileSync(join(repo, WORKFLOW), local);

      const result = await runCli(['init', repo], repo);

      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toContain(`skipped    ${WORKFLOW} (changed, use --force)`);
      expect(result.stdout).toMatch(/unchanged\s+\.github\/lakeflow-connector-bot\.yml/);
      expect(readFileSync(join(repo, WORKFLOW), 'utf8')).toBe(local);
    });

    it('overwrites the changed workflow with --force', async () => {
      const repo = await emptyGitRepo();
      await runCli(['init', repo], repo);
      writeFileSync(join(repo, WORKFLOW), 'name: mine\n');

      const result = await runCli(['init', repo, '--force'], repo);

      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`overwritten\\s+${WORKFLOW.replace(/\./g, '\\.')}`));
      expect(readFileSync(join(repo, WORKFLOW), 'utf8')).toBe(source(WORKFLOW));
    });

    it('names the kept config’s environment and label in the next steps', async () => {
      const repo = await emptyGitRepo();
      mkdirSync(join(repo, '.github'));
      writeFileSync(
        join(repo, '.github/lakeflow-connector-bot.yml'),
        'environment: connector-live\nlabels: { request: new-connector }\n',
      );

      const result = await runCli(['init', repo], repo);

      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toContain('create "connector-live" with required reviewers');
      expect(result.stdout).toContain('gh label create new-connector');
    });
    it('leaves a path that is not a file alone, even with --force, and exits 1', async () => {
      const repo = await emptyGitRepo();
      mkdirSync(join(repo, '.github/ISSUE_TEMPLATE/new-connector.yml'), { recursive: true });
      writeFileSync(join(repo, '.github/workflows'), 'not a folder\n');

      const result = await runCli(['init', repo, '--force'], repo);

      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toContain('.github/ISSUE_TEMPLATE/new-connector.yml (a folder, not a file)');
      expect(result.stdout).toContain(`${WORKFLOW} (a parent folder is a file)`);
      expect(readFileSync(join(repo, '.github/workflows'), 'utf8')).toBe('not a folder\n');
      expect(readFileSync(join(repo, '.github/lakeflow-connector-bot.yml'), 'utf8')).toBe(
        source('templates/lakeflow-connector-bot.yml'),
      );
    });
  });

  describe('when the command line or the folder is wrong', () => {
    it('refuses a folder that does not exist with exit 2', async () => {
      const missing = join(tempDir(), 'no-such-checkout');

      const result = await runCli(['init', missing], tempDir());

      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(`error: ${missing} does not exist`);
      expect(existsSync(missing)).toBe(false);
    });

    it('refuses a folder that is not a git checkout with exit 2', async () => {
      const plain = tempDir();

      const result = await runCli(['init', plain], plain);

      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain('is not a git checkout');
      expect(existsSync(join(plain, '.github'))).toBe(false);
    });

    it.each([
      [['init', '--bogus'], 'unknown option: --bogus', 'usage: lakeflow-connector-bot init'],
      [['init', 'a', 'b'], 'unexpected argument: b', 'usage: lakeflow-connector-bot init'],
      [['deploy'], 'unknown command: deploy', 'usage: lakeflow-connector-bot <command>'],
      [[], 'missing command', 'usage: lakeflow-connector-bot <command>'],
    ])('prints the usage on stderr and exits 2 for %j', async (args, message, usage) => {
      const repo = await emptyGitRepo();

      const result = await runCli(args, repo);

      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(`error: ${message}`);
      expect(result.stderr).toContain(usage);
      expect(result.stdout).toBe('');
      expect(existsSync(join(repo, '.github'))).toBe(false);
    });

    it.each([
      [['run', '--help'], 'usage: lakeflow-connector-bot run --source <name>'],
      [['doctor', '-h'], 'usage: lakeflow-connector-bot doctor'],
      [['--version'], /^lakeflow-connector-bot \d+\.\d+\.\d+\n$/],
      [['run', '--version'], /^lakeflow-connector-bot \d+\.\d+\.\d+\n$/],
    ])('answers %j on stdout with exit 0, before reading any other option', async (args, expected) => {
      const result = await runCli([...args, '--source', 'NOT A NAME'], tempDir());

      expect(result.code, result.stdout + result.stderr).toBe(0);
      if (typeof expected === 'string') expect(result.stdout).toContain(expected);
      else expect(result.stdout).toMatch(expected);
      expect(result.stderr).toBe('');
    });

    it('prints the help on stdout and exits 0 for help', async () => {
      const result = await runCli(['help', 'init'], tempDir());

      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('usage: lakeflow-connector-bot init [dir] [--force] [--dry-run]');
      expect(result.stderr).toBe('');
    });
  });
});
