import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { RESULTS_FILES } from '../../domain/ci/results-artifact.js';
import { isLintedByPylint, PYLINT_FLAGS } from '../../domain/target-repo/ci-gates.js';
import { TARGET_PATHS } from './gate-plan.js';
import {
  canImport,
  existsIn,
  fromExit,
  type GateContext,
  type GateResult,
  noted,
  probeStopped,
  runPython,
} from './gate-step.js';

/**
 * Regenerates the merged single-file source into scratch space and compares it with the committed
 * `_generated_<source>_python_source.py` (the workflow's `git diff --exit-code`); the checkout is
 * never modified. When it is missing or out of date in `package` mode, the regenerated file goes to
 * `generated/<repo path>` in the results (the bot commits it). Skipped without a merge script.
 */
export async function runMergedSourceGate(ctx: GateContext): Promise<GateResult> {
  if (!(await existsIn(ctx, TARGET_PATHS.mergeScript))) {
    return noted(
      'skipped',
      `${TARGET_PATHS.mergeScript} is not in this repository: merged-source check skipped.`,
    );
  }
  const generated = TARGET_PATHS.generated(ctx.source, ctx.layout);
  const fresh = join(ctx.scratchDir, `merged-${ctx.source}.py`);
  const run = await runPython(ctx, [TARGET_PATHS.mergeScript, ctx.source, '-o', fresh]);
  if (run.code !== 0) return fromExit(run);
  const committed = await readFile(join(ctx.dir, generated), 'utf8').catch(() => undefined);
  const expected = await readFile(fresh, 'utf8').catch(() => undefined);
  if (expected === undefined) return withNote(run.log, `The merge script wrote no ${fresh}.`);
  if (committed === expected) return { outcome: 'passed', log: run.log, stopped: null };
  const kept = await keepRegenerated(ctx, fresh);
  if (committed === undefined) {
    return withNote(run.log, `${generated} is not committed: run ${regenerate(ctx)} and commit it.${kept}`);
  }
  const line = firstDifferentLine(committed, expected);
  return withNote(
    run.log,
    `${generated} is out of date (first difference at line ${line}): run ${regenerate(ctx)}.${kept}`,
  );
}

/** In `package` mode, copies the regenerated file to `generated/<repo path>` in the results. */
async function keepRegenerated(ctx: GateContext, fresh: string): Promise<string> {
  if (ctx.mode !== 'package') return '';
  const path = `${RESULTS_FILES.generatedDir}${TARGET_PATHS.generated(ctx.source, ctx.layout)}`;
  await mkdir(dirname(join(ctx.resultsDir, path)), { recursive: true });
  await copyFile(fresh, join(ctx.resultsDir, path));
  return `\nThe regenerated file is in the results as ${path}.`;
}

/**
 * Pylint with upstream's flags on the connector's Python files (recursively) that upstream's Pylint
 * workflow lints: not the generated file, nor a connector its workflow skips. When every file is
 * one it skips, upstream's check cannot fail on this connector: passed, with a note.
 */
export async function runPylintGate(ctx: GateContext): Promise<GateResult> {
  const pylint = await canImport(ctx, 'pylint');
  if (pylint === 'stopped') return probeStopped(ctx);
  if (!pylint) {
    return noted('skipped', `pylint is not importable by ${ctx.python}: pylint gate skipped.`);
  }
  const dir = TARGET_PATHS.sourceDir(ctx.source, ctx.layout);
  const files = await listPythonFiles(ctx.dir, dir);
  if (files.length === 0) return noted('failed', `${dir}/ holds no Python module to lint.`);
  const linted = files.filter(isLintedByPylint);
  if (linted.length === 0) {
    return noted('passed', `upstream's Pylint workflow lints none of ${files.join(', ')}: nothing to lint.`);
  }
  return fromExit(await runPython(ctx, ['-m', 'pylint', ...PYLINT_FLAGS, ...linted]));
}

/** The `.py` files under `dir` (relative to the checkout `root`), recursively, as sorted root paths. */
async function listPythonFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.py'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** `python -m build --wheel` of the connector's package; the wheels go to `dist/` in the results. */
export async function runWheelGate(ctx: GateContext): Promise<GateResult> {
  const build = await canImport(ctx, 'build');
  if (build === 'stopped') return probeStopped(ctx);
  if (!build) {
    return noted('skipped', `the 'build' package is not importable by ${ctx.python}: wheel gate skipped.`);
  }
  const out = join(ctx.scratchDir, 'dist');
  const run = await runPython(ctx, [
    '-m',
    'build',
    '--wheel',
    TARGET_PATHS.sourceDir(ctx.source, ctx.layout),
    '--outdir',
    out,
  ]);
  if (run.code !== 0) return fromExit(run);
  const wheels = (await readdir(out).catch(() => [] as string[])).filter((name) => name.endsWith('.whl'));
  if (wheels.length === 0) return withNote(run.log, 'python -m build succeeded but wrote no .whl file.');
  const dist = join(ctx.resultsDir, RESULTS_FILES.wheelsDir);
  await mkdir(dist, { recursive: true });
  for (const wheel of wheels) await copyFile(join(out, wheel), join(dist, wheel));
  return { outcome: 'passed', log: run.log, stopped: null };
}

function withNote(log: Buffer, note: string): GateResult {
  return { outcome: 'failed', log: Buffer.concat([log, Buffer.from(`${note}\n`)]), stopped: null };
}

function regenerate(ctx: GateContext): string {
  return `python ${TARGET_PATHS.mergeScript} ${ctx.source}`;
}

function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  const index = left.findIndex((line, i) => line !== right[i]);
  return (index === -1 ? left.length : index) + 1;
}
