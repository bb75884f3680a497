import { OTHER_TEST_HARNESSES, TEST_HARNESS } from '../layout.js';
import { hasBase, type PythonClass, readPythonModule } from '../python/python-module.js';
import { stringValue } from '../python/syntax.js';
import type { ConnectorModel } from '../read-connector.js';
import { type ConnectorProblem, problem, shown } from './problem.js';

const HARNESS_NAMES = [TEST_HARNESS.name, ...OTHER_TEST_HARNESSES.map((h) => h.name)];

/** The test file's harness subclass, with what it sets, or a problem. */
export type TestClassRead =
  | { ok: true; cls: PythonClass; simulatorSource: string | null }
  | { ok: false; problems: ConnectorProblem[] };

/** Reads the test class of `test_{s}_lakeflow_connect.py`: a harness subclass setting `connector_class`, `simulator_source` and `replay_config`. */
export function readTestClass(model: ConnectorModel): TestClassRead {
  const path = model.paths.testFile;
  const text = model.files.get(path);
  if (text === undefined)
    return { ok: false, problems: [problem('test_class', path, `${shown(path)} is missing.`)] };
  const module = readPythonModule(text);
  const cls = module.classes.find((c) => HARNESS_NAMES.some((name) => hasBase(c, name)));
  if (!cls) {
    return {
      ok: false,
      problems: [
        problem(
          'test_class',
          path,
          `${shown(path)} defines no class that subclasses \`${TEST_HARNESS.name}\` (from \`${TEST_HARNESS.module}\`).`,
        ),
      ],
    };
  }
  const problems: ConnectorProblem[] = [];
  const own = (name: string) => cls.attributes.has(name) || cls.methods.has(name);
  if (!own('connector_class'))
    problems.push(
      problem('test_class', path, `${shown(path)}: \`${cls.name}\` does not set \`connector_class\`.`),
    );
  if (!own('replay_config') && !own('_replay_config')) {
    problems.push(
      problem(
        'test_class',
        path,
        `${shown(path)}: \`${cls.name}\` sets neither \`replay_config\` nor \`_replay_config()\`.`,
      ),
    );
  }
  const simulatorNode = cls.attributes.get('simulator_source');
  const simulatorSource = simulatorNode ? stringValue(module.syntax, simulatorNode) : null;
  if (simulatorSource !== null && simulatorSource !== model.source) {
    problems.push(
      problem(
        'test_class',
        path,
        `${shown(path)}: \`${cls.name}.simulator_source\` is \`${simulatorSource}\`, not \`${model.source}\`.`,
      ),
    );
  }
  if (!model.files.has(model.paths.testsInit)) {
    problems.push(
      problem(
        'test_class',
        model.paths.testsInit,
        `${shown(model.paths.testsInit)} is missing; pytest needs the tests folder to be a package.`,
      ),
    );
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, cls, simulatorSource };
}

/** The test-class problems, for the merged-connector check. */
export function testClassProblems(model: ConnectorModel): ConnectorProblem[] {
  const read = readTestClass(model);
  return read.ok ? [] : read.problems;
}
