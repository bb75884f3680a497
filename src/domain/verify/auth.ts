import { buildStageFacts } from '../pipeline/events.js';
import { connectionProblems, specOf } from '../target-repo/checks/spec.js';
import { readConnector } from '../target-repo/read-connector.js';
import { present, result, shown, type VerifyInput, type VerifyResult } from './types.js';

/** A module-level skip when credentials are absent: `pytest.skip(…, allow_module_level=True)` or `pytestmark = …skipif`. */
const SKIPS_WITHOUT_CREDENTIALS = /allow_module_level\s*=\s*True|pytestmark\s*=.*skipif|importorskip/;

/**
 * Auth is done when `connector_spec.yaml` passes the merged-connector connection check (parameters,
 * no credential values) and `auth_test.py` exists and skips itself without credentials, since the
 * repository's pytest collects `*_test.py` and CI has none.
 */
export function verifyAuth(input: VerifyInput): VerifyResult {
  const model = readConnector(input);
  const { paths } = model;
  const problems: string[] = connectionProblems(model).map((p) => p.message);
  const authTest = input.files.get(paths.authTest);
  if (authTest === undefined) problems.push(`${shown(paths.authTest)} is missing.`);
  else if (!SKIPS_WITHOUT_CREDENTIALS.test(authTest)) {
    problems.push(
      `${shown(paths.authTest)} does not skip without credentials; pytest collects it in CI, so call \`pytest.skip(..., allow_module_level=True)\` when no credentials are configured.`,
    );
  }
  const read = specOf(model);
  return result(problems, () =>
    buildStageFacts({
      connectionParams: 'check' in read ? [] : read.spec.params,
      files: present(input.files, [paths.spec, paths.authTest]),
    }),
  );
}
