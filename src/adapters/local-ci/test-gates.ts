import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULTS_FILES } from '../../domain/ci/results-artifact.js';
import {
  buildPytestIgnoreArgs,
  parseTestExclusions,
  TEST_EXCLUDE_FILE,
} from '../../domain/target-repo/ci-gates.js';
import { TARGET_PATHS } from './gate-plan.js';
import { existsIn, fromExit, type GateContext, type GateResult, noted, runPython } from './gate-step.js';

/**
 * `pytest tests/unit/sources/<source>/` with JUnit XML into the results, as the workflow runs it:
 * the connector's entries of the repository's `test_exclude.txt` (when it has one) are `--ignore`d.
 */
export async function runPytestGate(ctx: GateContext): Promise<GateResult> {
  const junit = join(ctx.resultsDir, RESULTS_FILES.junit);
  return fromExit(
    await runPython(ctx, [
      '-m',
      'pytest',
      `${TARGET_PATHS.testsDir(ctx.source, ctx.layout)}/`,
      ...(await readPytestIgnoreArgs(ctx)),
      '-v',
      '-p',
      'no:cacheprovider',
      `--junitxml=${junit}`,
    ]),
  );
}

/** `--ignore=<path>` for each of the connector's entries in the checkout's test exclusion file. */
async function readPytestIgnoreArgs(ctx: GateContext): Promise<string[]> {
  const text = await readFile(join(ctx.dir, TEST_EXCLUDE_FILE), 'utf8').catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    },
  );
  return buildPytestIgnoreArgs(ctx.source, parseTestExclusions(text), ctx.layout);
}

/** The connector's `auth_test.py`, a script (not collected by pytest) that reads the credentials. */
export async function runAuthTestGate(ctx: GateContext): Promise<GateResult> {
  const script = TARGET_PATHS.authTest(ctx.source, ctx.layout);
  if (!(await existsIn(ctx, script))) {
    return noted('failed', `${script} does not exist: the auth stage writes it before auth mode can run.`);
  }
  return fromExit(await runPython(ctx, [script]));
}
