import { isInjectedOption } from '../injected-options.js';
import { connectionOptionReads, helperLookup, tableOptionReads } from '../option-reads.js';
import type { ConnectorModel } from '../read-connector.js';
import { type ConnectorSpec, credentialLiterals, readSpec } from '../read-spec.js';
import { type ConnectorProblem, codeList, problem, shown } from './problem.js';

/** The connection and table option keys the connector's modules read, once each. */
export function optionReads(model: ConnectorModel): { connection: string[]; table: string[] } {
  const modules = model.modulePaths.map((path) => model.module(path)).filter((m) => m !== undefined);
  const helpers = helperLookup(modules);
  return {
    connection: [...new Set(modules.flatMap((m) => connectionOptionReads(m, helpers)))],
    table: [...new Set(modules.flatMap((m) => tableOptionReads(m, helpers)))],
  };
}

/** The spec read, or the problem reading it. */
export function specOf(model: ConnectorModel): { spec: ConnectorSpec; doc: unknown } | ConnectorProblem {
  const path = model.paths.spec;
  const text = model.files.get(path);
  if (text === undefined) return problem('spec', path, `${shown(path)} is missing.`);
  const read = readSpec(text);
  if (!read.ok) return problem('spec', path, `${shown(path)} is not valid YAML: ${read.error}`);
  return { spec: read.spec, doc: read.doc };
}

/** The connection part: parameters declared (or an OAuth block) and no value that looks like a real credential. */
export function connectionProblems(model: ConnectorModel): ConnectorProblem[] {
  const read = specOf(model);
  if ('check' in read) return [read];
  const path = model.paths.spec;
  const problems: ConnectorProblem[] = [];
  if (read.spec.params.length === 0 && !read.spec.oauth) {
    problems.push(
      problem(
        'spec',
        path,
        `${shown(path)} declares no connection parameters under \`connection.parameters\` or \`connection.auth_methods\`.`,
      ),
    );
  }
  for (const at of credentialLiterals(read.doc)) {
    problems.push(
      problem(
        'spec',
        path,
        `${shown(path)} holds a value at \`${at}\` that looks like a real credential; use a placeholder.`,
      ),
    );
  }
  return problems;
}

/** Every option the code reads is declared (or injected by the platform), and the allowlist covers the table options read. */
export function optionProblems(model: ConnectorModel): ConnectorProblem[] {
  const read = specOf(model);
  if ('check' in read) return [];
  const { spec } = read;
  const path = model.paths.spec;
  const reads = optionReads(model);
  const declared = new Set([...spec.params, ...spec.oauthPlaceholders].map((p) => p.toLowerCase()));
  const allow = new Set((spec.allowlist ?? []).map((k) => k.toLowerCase()));
  const undeclared = reads.connection.filter(
    (key) =>
      !declared.has(key.toLowerCase()) && !allow.has(key.toLowerCase()) && !isInjectedOption(key, spec.oauth),
  );
  const problems: ConnectorProblem[] = [];
  if (undeclared.length > 0) {
    problems.push(
      problem(
        'options',
        path,
        `The connector reads option(s) ${codeList(undeclared)}, but ${shown(path)} declares no such connection parameter.`,
      ),
    );
  }
  const unlisted = reads.table.filter(
    (key) => !allow.has(key.toLowerCase()) && !isInjectedOption(key, spec.oauth),
  );
  if (unlisted.length > 0) {
    problems.push(
      problem(
        'options',
        path,
        spec.allowlist === null
          ? `${shown(path)} has no \`external_options_allowlist\`, but the connector reads table option(s) ${codeList(unlisted)}.`
          : `${shown(path)}: \`external_options_allowlist\` lacks the table option(s) ${codeList(unlisted)} the connector reads.`,
      ),
    );
  }
  return problems;
}
