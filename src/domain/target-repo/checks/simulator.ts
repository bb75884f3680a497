import { parse } from 'yaml';
import type { ConnectorModel } from '../read-connector.js';
import { type ConnectorProblem, problem, shown } from './problem.js';

/** The simulator spec loads: `endpoints.yaml` parses with an `endpoints:` list, named corpus files exist, and every corpus file is JSON. */
export function simulatorProblems(model: ConnectorModel): ConnectorProblem[] {
  const { simulatorEndpoints, simulatorCorpus, simulatorDir } = model.paths;
  const check = (message: string, file = simulatorEndpoints) => problem('simulator', file, message);
  const corpus = [...model.files.keys()].filter(
    (path) => path.startsWith(simulatorCorpus) && path.endsWith('.json'),
  );
  const problems: ConnectorProblem[] = [];
  for (const path of corpus) {
    try {
      JSON.parse(model.files.get(path) ?? '');
    } catch {
      problems.push(check(`${shown(path)} is not valid JSON.`, path));
    }
  }
  const text = model.files.get(simulatorEndpoints);
  if (text === undefined) return [check(`${shown(simulatorEndpoints)} is missing.`), ...problems];
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return [check(`${shown(simulatorEndpoints)} is not valid YAML: ${message}`), ...problems];
  }
  const endpoints = (doc as { endpoints?: unknown } | null)?.endpoints;
  if (!Array.isArray(endpoints) || endpoints.length === 0) {
    return [check(`${shown(simulatorEndpoints)} has no \`endpoints:\` list.`), ...problems];
  }
  const hasCorpusFolder = [...model.files.keys()].some((path) => path.startsWith(simulatorCorpus));
  for (const endpoint of endpoints as { corpus?: unknown }[]) {
    const name = endpoint?.corpus;
    if (typeof name !== 'string' || !hasCorpusFolder) continue;
    const found = [
      `${simulatorCorpus}${name}.json`,
      `${simulatorCorpus}${name}`,
      `${simulatorDir}${name}`,
    ].some((p) => model.files.has(p));
    if (!found && !problems.some((p) => p.message.includes(`corpus \`${name}\``))) {
      problems.push(
        check(
          `${shown(simulatorEndpoints)} serves corpus \`${name}\`, but \`corpus/${name}.json\` is missing.`,
        ),
      );
    }
  }
  return problems;
}
