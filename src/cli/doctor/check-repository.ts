import {
  DEFAULT_REPO_CONFIG,
  parseRepoConfig,
  REPO_CONFIG_PATH,
  type RepoConfig,
} from '../../config/repo-config.js';
import { assertNever } from '../../domain/assert-never.js';
import type { ConnectorProblem } from '../../domain/target-repo/checks/problem.js';
import {
  FRAMEWORK_MODULES,
  FRAMEWORK_PACKAGE,
  type FrameworkName,
  LAKEFLOW_CONNECT,
  LAKEFLOW_SOURCE,
  MERGE_SCRIPT,
  type TargetLayout,
  TEST_HARNESS,
} from '../../domain/target-repo/layout.js';
import { readPythonModule } from '../../domain/target-repo/python/python-module.js';
import type { ExistingFile, InitFile } from '../init/plan-init.js';
import { planInit } from '../init/plan-init.js';

/** What the checkout holds, as the repository checks read it (the command reads the disk; tests pass maps). */
export interface RepositoryView {
  /** What is at a repository-relative path. */
  readonly existing: (path: string) => ExistingFile;
  /** Whether a repository-relative path is a folder. */
  readonly isDirectory: (path: string) => boolean;
}

/** The repository checks' findings and the layout the connector checks then use. */
export interface RepositoryCheck {
  readonly problems: ConnectorProblem[];
  /** The config's `paths`, or the upstream layout when the config is absent or invalid. */
  readonly layout: TargetLayout;
}

/** A name the bot imports from the framework, and whether it must be a class defined there (not re-exported). */
interface ExpectedExport {
  readonly name: FrameworkName;
  readonly mustDefineClass: boolean;
}

const EXPECTED_EXPORTS: readonly ExpectedExport[] = [
  { name: LAKEFLOW_CONNECT, mustDefineClass: false },
  { name: LAKEFLOW_SOURCE, mustDefineClass: false },
  { name: TEST_HARNESS, mustDefineClass: true },
];

const INIT_HINT = 'run `npx lakeflow-connector-bot init`';
const DEFAULT_WORKFLOW = '.github/workflows/lakeflow-connector-tests.yml';

/**
 * Checks a checkout against what the bot believes about the connector repository: the config parses,
 * the framework modules and the merge script exist, the framework exports the names the bot imports,
 * the layout's folders exist, and the files `init` installs are present and current. Pure: `view`
 * answers what is on disk, `initFiles` are the files this version of `init` would write.
 */
export function checkRepository(params: {
  view: RepositoryView;
  initFiles: readonly InitFile[];
}): RepositoryCheck {
  const { view } = params;
  const config = readConfig(view);
  const layout: TargetLayout = { ...config.config.paths };
  const problems = [
    ...config.problems,
    ...frameworkModuleProblems(view),
    ...mergeScriptProblems(view),
    ...EXPECTED_EXPORTS.flatMap((expected) => exportProblems(view, expected)),
    ...layoutProblems(view, layout),
    ...initFileProblems(view, params.initFiles, config.config),
  ];
  return { problems, layout };
}

function readConfig(view: RepositoryView): { config: RepoConfig; problems: ConnectorProblem[] } {
  const existing = view.existing(REPO_CONFIG_PATH);
  if (existing.kind !== 'file') return { config: DEFAULT_REPO_CONFIG, problems: [] };
  try {
    return { config: parseRepoConfig(existing.content), problems: [] };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      config: DEFAULT_REPO_CONFIG,
      problems: [
        {
          check: 'config',
          file: REPO_CONFIG_PATH,
          message: `${reason}\n(the checks below use the upstream layout)`,
        },
      ],
    };
  }
}

function frameworkModuleProblems(view: RepositoryView): ConnectorProblem[] {
  return FRAMEWORK_MODULES.filter((path) => path !== MERGE_SCRIPT)
    .filter((path) => view.existing(path).kind !== 'file')
    .map((path) => ({
      check: 'framework_module',
      file: path,
      message: `\`${path}\` is missing: connectors import and run on it (has upstream moved it?).`,
    }));
}

function mergeScriptProblems(view: RepositoryView): ConnectorProblem[] {
  if (view.existing(MERGE_SCRIPT).kind === 'file') return [];
  return [
    {
      check: 'merge_script',
      file: MERGE_SCRIPT,
      message: `\`${MERGE_SCRIPT}\` is missing: the package gate regenerates each connector's merged source with it.`,
    },
  ];
}

/** The files a module may be: `a/b/__init__.py` or `a/b.py`, under `src/` for the framework package. */
export function moduleFiles(module: string): string[] {
  const root = module === FRAMEWORK_PACKAGE || module.startsWith(`${FRAMEWORK_PACKAGE}.`) ? 'src/' : '';
  const base = `${root}${module.replace(/\./g, '/')}`;
  return [`${base}/__init__.py`, `${base}.py`];
}

function exportProblems(view: RepositoryView, expected: ExpectedExport): ConnectorProblem[] {
  const { module, name } = expected.name;
  const candidates = moduleFiles(module);
  const found = candidates
    .map((path) => ({ path, existing: view.existing(path) }))
    .find((candidate) => candidate.existing.kind === 'file');
  const check = 'framework_export';
  if (found === undefined || found.existing.kind !== 'file') {
    // A missing framework module is already reported as one.
    if (candidates.some((path) => FRAMEWORK_MODULES.includes(path))) return [];
    return [
      {
        check,
        file: candidates[0] ?? module,
        message: `\`${module}\` is missing: it should export \`${name}\`.`,
      },
    ];
  }
  const parsed = readPythonModule(found.existing.content);
  const defined = parsed.classes.some((cls) => cls.name === name);
  const exported =
    defined ||
    parsed.functions.has(name) ||
    parsed.assignments.has(name) ||
    parsed.imports.some((entry) => entry.names?.some((item) => item.alias === name || item.name === '*'));
  if (expected.mustDefineClass ? defined : exported) return [];
  const what = expected.mustDefineClass ? 'defines no class' : 'neither defines nor imports';
  const syntax = parsed.syntaxError === null ? '' : ` (it has a syntax error at line ${parsed.syntaxError})`;
  return [
    {
      check,
      file: found.path,
      message: `\`${found.path}\` ${what} \`${name}\`${syntax}, but connectors use \`from ${module} import ${name}\`.`,
    },
  ];
}

function layoutProblems(view: RepositoryView, layout: TargetLayout): ConnectorProblem[] {
  const folders: readonly [keyof TargetLayout, string][] = [
    ['sources', 'one folder per connector'],
    ['tests', "one folder per connector's tests"],
    ['simulatorSpecs', "one folder per connector's simulator spec"],
  ];
  return folders
    .filter(([key]) => !view.isDirectory(layout[key]))
    .map(([key, holds]) => ({
      check: 'layout',
      file: layout[key],
      message: `\`${layout[key]}\` (paths.${key}, ${holds}) is not a folder here: set \`paths.${key}\` in ${REPO_CONFIG_PATH} if the repository keeps it elsewhere.`,
    }));
}

/**
 * The issue form and the workflow must be what this version of `init` writes (the bot parses the form
 * and dispatches the workflow); the config only has to exist: its differences are the repository's settings.
 */
function initFileProblems(
  view: RepositoryView,
  initFiles: readonly InitFile[],
  config: RepoConfig,
): ConnectorProblem[] {
  const files = initFiles.map((file) =>
    file.path === DEFAULT_WORKFLOW ? { ...file, path: `.github/workflows/${config.workflow}` } : file,
  );
  const steps = planInit({ files, existing: view.existing, force: false });
  return steps.flatMap(({ file, action, reason }) => {
    const problem = (message: string) => [{ check: 'installed_file', file: file.path, message }];
    switch (action) {
      case 'unchanged':
        return [];
      case 'create':
        return problem(`\`${file.path}\` is missing: ${INIT_HINT}.`);
      case 'skip':
        if (view.existing(file.path).kind !== 'file') {
          return problem(
            `\`${file.path}\` is ${reason ?? 'not a regular file'}: make it a file and ${INIT_HINT}.`,
          );
        }
        if (file.path === REPO_CONFIG_PATH) return [];
        return problem(
          `\`${file.path}\` differs from what this version of the bot installs: ${INIT_HINT} --force (then review the diff).`,
        );
      case 'overwrite':
        return problem(`\`${file.path}\` is out of date: ${INIT_HINT} --force.`);
      default:
        return assertNever(action);
    }
  });
}
