import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isObject, type Schema } from './json-schema-check.js';

/**
 * GitHub's REST description from `@octokit/openapi`, loaded once per process on first use. We read
 * `api.github.com.json` (13 MB, parsed in ~0.4 s) and resolve its `$ref`s on demand instead of the
 * dereferenced `api.github.com.deref.json` (73 MB, ~2.3 s): the checker follows local pointers
 * anyway, so both give the same answers.
 */
export interface OpenApiSpec {
  /** Resolves `#/components/...` pointers. */
  resolve(ref: string): Schema;
  /** The operation for `method` and a raw request path (percent-encoded as sent), if any. */
  match(method: string, rawPath: string): MatchedOperation | undefined;
  /** True when the description has `method` on exactly this path template. */
  has(method: string, template: string): boolean;
  /** Milliseconds spent reading and parsing the file. */
  loadMs: number;
}

/** An operation of the description plus the path parameters read from the request. */
export interface MatchedOperation {
  /** Path template as written in the description, e.g. `/repos/{owner}/{repo}/pulls/{pull_number}`. */
  template: string;
  operation: Schema;
  /** Decoded path parameters. */
  params: Record<string, string>;
}

interface IndexedTemplate {
  template: string;
  regex: RegExp;
  names: string[];
  literalSegments: number;
  methods: Record<string, Schema>;
}

let loading: Promise<OpenApiSpec> | undefined;

/** The spec, parsed on the first call and shared by every fake in the process. */
export function loadOpenApiSpec(): Promise<OpenApiSpec> {
  loading ??= readSpec();
  return loading;
}

async function readSpec(): Promise<OpenApiSpec> {
  const started = performance.now();
  const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
  const document: unknown = JSON.parse(await readFile(file, 'utf8'));
  const loadMs = Math.round(performance.now() - started);
  if (!isObject(document) || !isObject(document.paths)) throw new Error(`${file} has no paths`);
  const root = document;
  const index = Object.entries(document.paths)
    .filter(([, item]) => isObject(item))
    .map(([template, item]) => indexTemplate(template, item as Record<string, Schema>, root));
  const resolve = (ref: string): Schema => {
    const target = pointer(root, ref);
    if (!isObject(target)) throw new Error(`Unresolvable $ref ${ref}`);
    return target;
  };
  return {
    resolve,
    loadMs,
    has: (method, template) => index.some((entry) => entry.template === template && method in entry.methods),
    match(method, rawPath) {
      let best: { entry: IndexedTemplate; groups: string[] } | undefined;
      for (const entry of index) {
        const found = entry.regex.exec(rawPath);
        if (found === null || entry.methods[method.toLowerCase()] === undefined) continue;
        if (best === undefined || entry.literalSegments > best.entry.literalSegments) {
          best = { entry, groups: found.slice(1) };
        }
      }
      if (best === undefined) return undefined;
      const { entry, groups } = best;
      const params = Object.fromEntries(entry.names.map((name, i) => [name, decode(groups[i] ?? '')]));
      const operation = entry.methods[method.toLowerCase()] as Schema;
      return { template: entry.template, operation, params };
    },
  };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function indexTemplate(template: string, item: Record<string, Schema>, root: unknown): IndexedTemplate {
  const methods = Object.fromEntries(Object.entries(item).filter(([method]) => METHODS.includes(method)));
  const multiSegment = new Set<string>();
  for (const operation of Object.values(methods)) {
    for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
      const resolved =
        isObject(parameter) && typeof parameter.$ref === 'string' ? pointer(root, parameter.$ref) : parameter;
      if (isObject(resolved) && resolved['x-multi-segment'] === true) multiSegment.add(String(resolved.name));
    }
  }
  const names: string[] = [];
  let literalSegments = 0;
  const source = template
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (param === undefined) {
        literalSegments += 1;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{(\w+)\\\}/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
      }
      names.push(param);
      return multiSegment.has(param) ? '(.+?)' : '([^/]+)';
    })
    .join('/');
  return { template, regex: new RegExp(`^${source}$`), names, literalSegments, methods };
}

function pointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), root);
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
