import { LAKEFLOW_CONNECT } from '../layout.js';
import type { ConnectorModel } from '../read-connector.js';
import { readPyproject } from '../read-pyproject.js';
import { type ConnectorProblem, problem, shown } from './problem.js';

/** The wheel's distribution name for a source: `lakeflow-community-connectors-` and the source with `-` for `_`. */
export function distributionName(source: string): string {
  return `lakeflow-community-connectors-${source.replace(/_/g, '-')}`;
}

/** `pyproject.toml` parses, names the project, packages the connector, and keeps `pyspark` out of runtime deps. */
export function packageProblems(model: ConnectorModel): ConnectorProblem[] {
  const path = model.paths.pyproject;
  const text = model.files.get(path);
  if (text === undefined) return [problem('package', path, `${shown(path)} is missing.`)];
  const read = readPyproject(text);
  if (!read.ok) return [problem('package', path, `${shown(path)} is not valid TOML: ${read.error}`)];
  const problems: ConnectorProblem[] = [];
  const accepted = [distributionName(model.source), `lakeflow-community-connectors-${model.source}`];
  if (read.name === null)
    problems.push(problem('package', path, `${shown(path)} has no \`[project]\` \`name\`.`));
  else if (!accepted.includes(read.name.toLowerCase().replace(/_/g, '-')) && !accepted.includes(read.name)) {
    problems.push(
      problem(
        'package',
        path,
        `${shown(path)} names the project \`${read.name}\`, not \`${distributionName(model.source)}\`.`,
      ),
    );
  }
  const pkg = `databricks.labs.community_connector.sources.${model.source}`;
  if (read.packages !== null && !read.packages.includes(pkg)) {
    problems.push(
      problem(
        'package',
        path,
        `${shown(path)}: \`[tool.setuptools]\` \`packages\` does not list \`${pkg}\`.`,
      ),
    );
  }
  if (read.dependencies.some((dep) => /^pyspark\b/i.test(dep.trim()))) {
    problems.push(
      problem(
        'package',
        path,
        `${shown(path)} lists \`pyspark\` in runtime \`dependencies\`; it belongs in the \`dev\` extra only.`,
      ),
    );
  }
  return problems;
}

/** The merged single-file source exists and holds the connector class. */
export function mergedSourceProblems(model: ConnectorModel): ConnectorProblem[] {
  const path = model.paths.mergedSource;
  const merged = model.files.get(path);
  if (merged === undefined) {
    return [
      problem(
        'merged_source',
        path,
        `${shown(path)} is missing; run \`python tools/scripts/merge_python_source.py ${model.source}\`.`,
      ),
    ];
  }
  const name = model.connector?.cls.name;
  if (name && !new RegExp(`^\\s*class\\s+${name}\\b`, 'm').test(merged)) {
    return [
      problem(
        'merged_source',
        path,
        `${shown(path)} does not contain \`class ${name}\` (the \`${LAKEFLOW_CONNECT.name}\` subclass); regenerate it.`,
      ),
    ];
  }
  return [];
}
