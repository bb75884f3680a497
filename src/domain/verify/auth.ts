import { connectorPaths } from '../target-repo/connector-paths.js';
import { buildStageFacts } from '../pipeline/events.js';
import { credentialLiterals, readSpec } from '../target-repo/read-spec.js';
import { present, result, shown, type VerifyInput, type VerifyResult } from './types.js';

/** Auth is done when `connector_spec.yaml` declares connection parameters (placeholders only) and `auth_test.py` exists. */
export function verifyAuth(input: VerifyInput): VerifyResult {
  const paths = connectorPaths(input.source);
  const file = shown(paths.spec);
  const problems: string[] = [];
  let params: string[] = [];
  const text = input.files.get(paths.spec);
  if (text === undefined) problems.push(`${file} is missing.`);
  else {
    const read = readSpec(text);
    if (!read.ok) problems.push(`${file} is not valid YAML: ${read.error}`);
    else {
      params = read.spec.params;
      if (params.length === 0) {
        problems.push(
          `${file} declares no connection parameters under \`connection.parameters\` or \`connection.auth_methods\`.`,
        );
      }
      for (const at of credentialLiterals(read.doc)) {
        problems.push(
          `${file} holds a value at \`${at}\` that looks like a real credential; use a placeholder.`,
        );
      }
    }
  }
  if (!input.files.has(paths.authTest)) problems.push(`${shown(paths.authTest)} is missing.`);
  return result(problems, () =>
    buildStageFacts({ connectionParams: params, files: present(input.files, [paths.spec, paths.authTest]) }),
  );
}
