import { parse } from 'smol-toml';

/** What the checks read from a connector's `pyproject.toml`. */
export type PyprojectRead =
  | {
      ok: true;
      /** `[project] name`, or null when absent. */
      name: string | null;
      dependencies: string[];
      optionalDependencies: Record<string, string[]>;
      /** `[tool.setuptools] packages`, or null when absent (or `find`-based). */
      packages: string[] | null;
    }
  | { ok: false; error: string };

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function table(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Reads a `pyproject.toml` with a full TOML parser; a syntax error yields its first line. */
export function readPyproject(text: string): PyprojectRead {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (error) {
    return {
      ok: false,
      error: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '',
    };
  }
  const project = table(doc.project);
  const setuptools = table(table(doc.tool).setuptools);
  const optional = table(project['optional-dependencies']);
  return {
    ok: true,
    name: typeof project.name === 'string' ? project.name : null,
    dependencies: strings(project.dependencies),
    optionalDependencies: Object.fromEntries(
      Object.entries(optional).map(([key, value]) => [key, strings(value)]),
    ),
    packages: Array.isArray(setuptools.packages) ? strings(setuptools.packages) : null,
  };
}
