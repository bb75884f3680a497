import { delimiter, join } from 'node:path';
import type { CiMode } from '../../domain/pipeline/run.js';
import { stripsCredentials } from './gate-plan.js';

const CREDENTIAL_PREFIX = 'CONNECTOR_TEST_';

/**
 * The environment of every gate command: `base` without any `CONNECTOR_TEST_*` variable in modes that
 * must not see credentials, no bytecode written into the checkout, and the checkout's `src` and root
 * on `PYTHONPATH` (what the workflow's `pip install -e .` provides) for scripts run outside pytest.
 */
export function buildGateEnv(params: {
  mode: CiMode;
  base: NodeJS.ProcessEnv;
  dir: string;
}): NodeJS.ProcessEnv {
  const strip = stripsCredentials(params.mode);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(params.base)) {
    if (value === undefined || (strip && key.toUpperCase().startsWith(CREDENTIAL_PREFIX))) continue;
    env[key] = value;
  }
  const paths = [join(params.dir, 'src'), params.dir, ...(env.PYTHONPATH ? [env.PYTHONPATH] : [])];
  env.PYTHONPATH = paths.join(delimiter);
  env.PYTHONDONTWRITEBYTECODE = '1';
  env.PYTHONUNBUFFERED = '1';
  return env;
}
