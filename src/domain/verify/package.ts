import { connectorPaths } from '../target-repo/connector-paths.js';
import { buildStageFacts } from '../pipeline/events.js';
import { readConnectorCode } from './connector-code.js';
import { readToml } from './toml.js';
import { present, result, shown, type VerifyInput, type VerifyResult } from './types.js';

/** Package is done when `pyproject.toml` names the connector's wheel and package, and the merged source exists. */
export function verifyPackage(input: VerifyInput): VerifyResult {
  const paths = connectorPaths(input.source);
  const file = shown(paths.pyproject);
  const problems: string[] = [];
  const text = input.files.get(paths.pyproject);
  const expected = `lakeflow-community-connectors-${input.source.replace(/_/g, '-')}`;
  const altExpected = `lakeflow-community-connectors-${input.source}`;
  const pkg = `databricks.labs.community_connector.sources.${input.source}`;
  if (text === undefined) problems.push(`${file} is missing.`);
  else {
    const toml = readToml(text);
    const project = toml?.get('project');
    const name = project?.get('name');
    if (!toml)
      problems.push(
        `${file} is not TOML this check can read (a line is neither a header nor \`key = value\`).`,
      );
    else if (!project) problems.push(`${file} has no \`[project]\` table.`);
    else if (typeof name !== 'string' || name === '') problems.push(`${file} has no \`[project]\` \`name\`.`);
    else if (name !== expected && name !== altExpected) {
      problems.push(`${file} names the project \`${name}\`, not \`${altExpected}\`.`);
    }
    const packages = toml?.get('tool.setuptools')?.get('packages');
    if (toml && project && !(Array.isArray(packages) && packages.includes(pkg))) {
      problems.push(`${file}: \`[tool.setuptools]\` \`packages\` does not list \`${pkg}\`.`);
    }
    const deps = project?.get('dependencies');
    if (Array.isArray(deps) && deps.some((dep) => /^pyspark\b/i.test(dep))) {
      problems.push(
        `${file} lists \`pyspark\` in runtime \`dependencies\`; it belongs in the \`dev\` extra only.`,
      );
    }
  }
  const merged = input.files.get(paths.mergedSource);
  if (merged === undefined) {
    problems.push(
      `${shown(paths.mergedSource)} is missing; run \`python tools/scripts/merge_python_source.py ${input.source}\`.`,
    );
  } else {
    const code = readConnectorCode(input.files, input.source);
    if (code.ok && !new RegExp(`^\\s*class\\s+${code.className}\\b`, 'm').test(merged)) {
      problems.push(
        `${shown(paths.mergedSource)} does not contain \`class ${code.className}\`; regenerate it.`,
      );
    }
  }
  return result(problems, () =>
    buildStageFacts({ files: present(input.files, [paths.pyproject, paths.mergedSource]) }),
  );
}
