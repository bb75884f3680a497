import { connectorPaths } from '../target-repo/connector-paths.js';
import { buildStageFacts } from '../pipeline/events.js';
import { hasBase, pythonClasses } from './python-source.js';
import { present, result, shown, type VerifyInput, type VerifyResult } from './types.js';

const REQUIRED_ATTRIBUTES = ['connector_class', 'simulator_source', 'replay_config'];

/** Test is done when the test file subclasses `LakeflowConnectTests` with the three required attributes, and the tests package exists. */
export function verifyTest(input: VerifyInput): VerifyResult {
  const paths = connectorPaths(input.source);
  const file = shown(paths.testFile);
  const text = input.files.get(paths.testFile);
  const problems: string[] = [];
  if (text === undefined) problems.push(`${file} is missing.`);
  else {
    const cls = pythonClasses(text).find((c) => hasBase(c, 'LakeflowConnectTests'));
    if (!cls) problems.push(`${file} defines no class that subclasses \`LakeflowConnectTests\`.`);
    else {
      for (const attribute of REQUIRED_ATTRIBUTES) {
        if (!new RegExp(`^[ \\t]+${attribute}\\s*(?::[^=\\n]+)?=`, 'm').test(cls.body)) {
          problems.push(`${file}: \`${cls.name}\` does not set \`${attribute}\`.`);
        }
      }
      const simulator = /^[ \t]+simulator_source\s*(?::[^=\n]+)?=\s*["']([^"']*)["']/m.exec(cls.body)?.[1];
      if (simulator !== undefined && simulator !== input.source) {
        problems.push(
          `${file}: \`${cls.name}.simulator_source\` is \`${simulator}\`, not \`${input.source}\`.`,
        );
      }
    }
  }
  if (!input.files.has(paths.testsInit)) {
    problems.push(`${shown(paths.testsInit)} is missing; the harness derives the source tag from it.`);
  }
  return result(problems, () =>
    buildStageFacts({ files: present(input.files, [paths.testFile, paths.testsInit]) }),
  );
}
