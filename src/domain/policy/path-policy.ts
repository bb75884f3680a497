import { InvariantError } from '../../errors.js';
import { assertNever } from '../assert-never.js';
import { SourceName } from '../intake/schema.js';
import type { Stage } from '../pipeline/phase.js';
import { DEFAULT_LAYOUT, LAYOUT_DIR, type TargetLayout } from '../target-repo/layout.js';
import { matchGlob } from './glob.js';

/**
 * Where one stage of one connector may write. A path is writable when it matches a glob of `allow`
 * and none of `deny`, and only after the fixed refusals of `checkPath` (which no policy can lift).
 */
export interface PathPolicy {
  readonly stage: Stage;
  readonly source: string;
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

/** The outcome of `checkPath`: the normalised path, or a short reason the model can act on. */
export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

const MAX_PATH_LENGTH = 300;
/** Invisible or direction-changing characters (Trojan Source); C0 controls and DEL are checked by code. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

function hasControlCharacters(path: string): boolean {
  for (let index = 0; index < path.length; index += 1) {
    const code = path.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return INVISIBLE.test(path);
}

/**
 * The globs of `stage` for connector `source`, narrowed to what `agent` writes when the stage's
 * agents run in parallel (the doc writer never touches the spec, nor the spec generator the
 * README); throws `InvariantError` on an unvalidated name or dir.
 */
export function buildPathPolicy(params: {
  stage: Stage;
  source: string;
  /** The run's layout (`RunSettings.layout`); the upstream layout when absent. */
  paths?: TargetLayout;
  agent?: string;
}): PathPolicy {
  const { stage, source } = params;
  const dirs = params.paths ?? DEFAULT_LAYOUT;
  if (!SourceName.safeParse(source).success) throw new InvariantError(`Invalid source name "${source}"`);
  for (const dir of [dirs.sources, dirs.tests, dirs.simulatorSpecs]) {
    if (!LAYOUT_DIR.test(dir)) throw new InvariantError(`Invalid connector directory "${dir}"`);
  }
  const globs = narrowToAgent(stageGlobs(stage, source, dirs), params.agent, `${dirs.sources}/${source}`);
  return Object.freeze({ stage, source, allow: Object.freeze(globs.allow), deny: Object.freeze(globs.deny) });
}

function stageGlobs(stage: Stage, source: string, dirs: TargetLayout): { allow: string[]; deny: string[] } {
  const src = `${dirs.sources}/${source}`;
  const tests = `${dirs.tests}/${source}`;
  const implement = {
    allow: [`${src}/**`, `${dirs.simulatorSpecs}/${source}/**`],
    deny: [`${src}/README.md`, `${src}/pyproject.toml`, `${src}/_generated_*`],
  };
  switch (stage) {
    case 'research':
      return { allow: [`${src}/${source}_api_doc.md`], deny: [] };
    case 'auth':
      return {
        allow: [`${src}/connector_spec.yaml`, `${tests}/auth_test.py`, `${tests}/__init__.py`],
        deny: [],
      };
    case 'implement':
      return implement;
    case 'test':
      return { allow: [`${tests}/**`, ...implement.allow], deny: implement.deny };
    case 'docs_spec':
      return { allow: [`${src}/README.md`, `${src}/connector_spec.yaml`], deny: [] };
    case 'package':
      return { allow: [`${src}/pyproject.toml`, `${src}/_generated_${source}_python_source.py`], deny: [] };
    default:
      return assertNever(stage);
  }
}

/** The one file each parallel agent of `docs_spec` owns. */
const AGENT_FILES: Readonly<Record<string, string>> = {
  'connector-doc-writer': 'README.md',
  'connector-spec-generator': 'connector_spec.yaml',
};

function narrowToAgent(
  globs: { allow: string[]; deny: string[] },
  agent: string | undefined,
  src: string,
): { allow: string[]; deny: string[] } {
  const file = agent === undefined ? undefined : AGENT_FILES[agent];
  if (file === undefined) return globs;
  return { allow: globs.allow.filter((glob) => glob === `${src}/${file}`), deny: globs.deny };
}

/**
 * Syntax and safety of a repository path, for reads and writes alike: NFC-normalises it and
 * refuses empty, over-long, absolute, backslashed, `.`/`..`/empty-segment paths and control
 * characters. It says nothing about where the path may be written (see `checkPath`).
 */
export function normalizePath(raw: string): PathCheck {
  const path = raw.normalize('NFC');
  if (path.trim() === '') return refuse('The path is empty.');
  if (path.length > MAX_PATH_LENGTH) return refuse(`The path is longer than ${MAX_PATH_LENGTH} characters.`);
  if (hasControlCharacters(path)) return refuse('The path contains control or invisible characters.');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    return refuse('The path is absolute: give it relative to the repository root, without a leading /.');
  }
  if (path.includes('\\')) return refuse('The path contains a backslash: separate folders with /.');
  if (path.endsWith('/')) return refuse('The path names a folder: give the path of a file.');
  const segments = path.split('/');
  if (segments.includes('')) return refuse('The path contains an empty segment (//).');
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return refuse('The path contains a . or .. segment: give it from the repository root.');
  }
  return { ok: true, path };
}

/**
 * Whether `policy` lets the agent write `raw`. Refused whatever the allow-list says: everything
 * `normalizePath` refuses, `.github/`, `.git`, the root `pyproject.toml`, `requirements/`, any
 * `conftest.py` (the files maintainers treat as sensitive: docs/target-repository.md). Then the
 * stage's globs decide; a refusal names the stage and what it may write.
 */
export function checkPath(policy: PathPolicy, raw: string): PathCheck {
  const normal = normalizePath(raw);
  if (!normal.ok) return normal;
  const { path } = normal;
  const segments = path.toLowerCase().split('/');
  const [first] = segments;
  if (first === '.github') return refuse('Files under .github/ are never written by the bot.');
  if (segments.includes('.git')) return refuse('Paths inside .git are never written.');
  if (path.toLowerCase() === 'pyproject.toml') return refuse('The root pyproject.toml is never modified.');
  if (first === 'requirements') return refuse('The dependency locks under requirements/ are never modified.');
  if (segments[segments.length - 1] === 'conftest.py') {
    return refuse('conftest.py files are never written: put fixtures in the test module itself.');
  }
  const allowed =
    policy.allow.some((glob) => matchGlob(glob, path)) && !policy.deny.some((glob) => matchGlob(glob, path));
  if (allowed) return { ok: true, path };
  const never = policy.deny.length > 0 ? `; never ${policy.deny.join(', ')}` : '';
  return refuse(`The ${policy.stage} stage may only write ${policy.allow.join(', ')}${never}.`);
}

function refuse(reason: string): PathCheck {
  return { ok: false, reason };
}
