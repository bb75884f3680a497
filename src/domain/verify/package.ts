import { buildStageFacts } from '../pipeline/events.js';
import { mergedSourceProblems, packageProblems } from '../target-repo/checks/package.js';
import { readConnector } from '../target-repo/read-connector.js';
import { present, result, type VerifyInput, type VerifyResult } from './types.js';

/** Package is done when `pyproject.toml` and the merged source file pass the merged-connector package checks. */
export function verifyPackage(input: VerifyInput): VerifyResult {
  const model = readConnector(input);
  return result([...packageProblems(model), ...mergedSourceProblems(model)], () =>
    buildStageFacts({ files: present(input.files, [model.paths.pyproject, model.paths.mergedSource]) }),
  );
}
