import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import {
  type CiGate,
  type GateOutcome,
  RESULTS_FILES,
  ResultsSummary,
} from '../../domain/ci/results-artifact.js';
import { CiMode } from '../../domain/pipeline/run.js';
import { DEFAULT_LAYOUT, TargetLayout } from '../../domain/target-repo/layout.js';
import { UserInputError } from '../../errors.js';
import { buildGateEnv } from './gate-env.js';
import { planGates } from './gate-plan.js';
import { type GateContext, type GateResult, logExcerpt, noted } from './gate-step.js';
import { runMergedSourceGate, runPylintGate, runWheelGate } from './repo-gates.js';
import { runAuthTestGate, runPytestGate } from './test-gates.js';

/** What to run: a checked-out target repository, one connector, one mode. */
export const RunConnectorGatesParams = z.object({
  /** Root of the checkout; every command runs there. */
  dir: z.string().min(1),
  source: z.string().regex(/^[a-z0-9_]+$/, 'source must match ^[a-z0-9_]+$ (lowercase letters, digits, _)'),
  mode: CiMode,
  runKey: z.string().min(1).max(200),
  /** Where the checkout keeps connectors (the run's layout); default the upstream layout, as the workflow. */
  layout: TargetLayout.default(DEFAULT_LAYOUT),
  /** The interpreter with pytest (and optionally pylint, build). Default `python3`. */
  python: z.string().min(1).default('python3'),
  /** Bound on the whole run; whatever is still running then is killed. Default 15 minutes. */
  timeoutMs: z
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
  /** Where `summary.json`, `junit.xml`, `logs/` and `dist/` go; default a new temporary directory. */
  resultsDir: z.string().min(1).optional(),
});
export type RunConnectorGatesParams = z.input<typeof RunConnectorGatesParams> & {
  /** Cancels the run: the running command's process group is killed. */
  signal?: AbortSignal;
  /** Base environment of the commands (default `process.env`); see `buildGateEnv`. */
  env?: NodeJS.ProcessEnv;
};

/** Where the results are and what they say. */
export interface ConnectorGatesResult {
  resultsDir: string;
  summary: ResultsSummary;
  /** True when the timeout stopped a gate (that gate failed; the ones after it were skipped). */
  timedOut: boolean;
}

const RUNNERS: Record<CiGate, (ctx: GateContext) => Promise<GateResult>> = {
  auth_test: runAuthTestGate,
  pytest: runPytestGate,
  merged_source: runMergedSourceGate,
  pylint: runPylintGate,
  wheel: runWheelGate,
};

/**
 * Runs in a checked-out target repository what the bot's workflow runs for `mode`, as far as this
 * machine allows, and writes the results artifact's files (see `results-artifact.ts`). Commands are
 * argument arrays (no shell) in their own process group; a gate whose tool is missing is `skipped`,
 * never reported as passed. Throws `UserInputError` for bad parameters.
 */
export async function runConnectorGates(input: RunConnectorGatesParams): Promise<ConnectorGatesResult> {
  const parsed = RunConnectorGatesParams.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new UserInputError(`runConnectorGates: ${problems.join('; ')}`);
  }
  const params = parsed.data;
  const dir = resolve(params.dir);
  const isDir = await stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isDir) throw new UserInputError(`runConnectorGates: ${dir} is not a directory`);

  const resultsDir = params.resultsDir
    ? resolve(params.resultsDir)
    : await mkdtemp(join(tmpdir(), 'lakeflow-results-'));
  const leftovers = await readdir(resultsDir).catch(() => [] as string[]);
  if (leftovers.length > 0) {
    throw new UserInputError(`runConnectorGates: ${resultsDir} is not empty; results of two runs would mix`);
  }
  await mkdir(join(resultsDir, RESULTS_FILES.logsDir), { recursive: true });
  const scratchDir = await mkdtemp(join(tmpdir(), 'lakeflow-gates-'));
  const ctx: GateContext = {
    dir,
    source: params.source,
    layout: params.layout,
    mode: params.mode,
    python: params.python,
    env: buildGateEnv({ mode: params.mode, base: input.env ?? process.env, dir }),
    resultsDir,
    scratchDir,
    deadline: Date.now() + params.timeoutMs,
    ...(input.signal ? { signal: input.signal } : {}),
  };
  const gates: Partial<Record<CiGate, GateOutcome>> = {};
  let stopped: GateResult['stopped'] = null;
  try {
    for (const gate of planGates(params.mode)) {
      if (stopped === null && input.signal?.aborted) stopped = 'aborted';
      if (stopped === null && Date.now() >= ctx.deadline) stopped = 'timeout';
      const result: GateResult =
        stopped === null
          ? await RUNNERS[gate](ctx)
          : noted('skipped', `not run: the run hit its ${stopped}.`);
      stopped ??= result.stopped;
      gates[gate] = result.outcome;
      await writeFile(join(resultsDir, RESULTS_FILES.logsDir, `${gate}.txt`), logExcerpt(result.log));
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
  const summary = ResultsSummary.parse({
    version: 1,
    source: params.source,
    mode: params.mode,
    runKey: params.runKey,
    gates,
  });
  await writeFile(join(resultsDir, RESULTS_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
  return { resultsDir, summary, timedOut: stopped === 'timeout' };
}
