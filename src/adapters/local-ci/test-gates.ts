import { join } from 'node:path';
import { RESULTS_FILES } from '../../domain/ci/results-artifact.js';
import { TARGET_PATHS } from './gate-plan.js';
import { existsIn, fromExit, type GateContext, type GateResult, noted, runPython } from './gate-step.js';

/** `pytest tests/unit/sources/<source>/` with JUnit XML into the results, as the workflow runs it. */
export async function runPytestGate(ctx: GateContext): Promise<GateResult> {
  const junit = join(ctx.resultsDir, RESULTS_FILES.junit);
  return fromExit(
    await runPython(ctx, [
      '-m',
      'pytest',
      `${TARGET_PATHS.testsDir(ctx.source)}/`,
      '-v',
      '-p',
      'no:cacheprovider',
      `--junitxml=${junit}`,
    ]),
  );
}

/** The connector's `auth_test.py`, a script (not collected by pytest) that reads the credentials. */
export async function runAuthTestGate(ctx: GateContext): Promise<GateResult> {
  const script = TARGET_PATHS.authTest(ctx.source);
  if (!(await existsIn(ctx, script))) {
    return noted('failed', `${script} does not exist: the auth stage writes it before auth mode can run.`);
  }
  return fromExit(await runPython(ctx, [script]));
}
