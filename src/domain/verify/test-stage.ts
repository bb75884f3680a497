import { buildStageFacts } from '../pipeline/events.js';
import { readTestClass } from '../target-repo/checks/test-class.js';
import { readConnector } from '../target-repo/read-connector.js';
import { present, result, type VerifyInput, type VerifyResult } from './types.js';

/** Test is done when the test file passes the merged-connector test-class check (harness subclass, `connector_class`, `replay_config`, tests package). */
export function verifyTest(input: VerifyInput): VerifyResult {
  const model = readConnector(input);
  const read = readTestClass(model);
  return result(read.ok ? [] : read.problems, () =>
    buildStageFacts({ files: present(input.files, [model.paths.testFile, model.paths.testsInit]) }),
  );
}
