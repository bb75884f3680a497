import { importedModules } from './python-source.js';

/** The framework package connectors may import from (interface, libs, sparkpds and their own package). */
const FRAMEWORK = 'databricks.labs.community_connector';

/** Third-party top-level modules the reference allows (self-review A10). */
const ALLOWED_THIRD_PARTY = new Set(['requests', 'pyspark']);

/** Standard-library top-level modules connectors commonly use (Python 3.10+). */
const STDLIB = new Set(
  `__future__ abc argparse array ast asyncio base64 binascii bisect builtins calendar collections
  concurrent contextlib copy csv ctypes dataclasses datetime decimal difflib email enum errno functools
  gc getpass glob gzip hashlib heapq hmac html http importlib inspect io ipaddress itertools json keyword
  logging lzma math mimetypes numbers operator os pathlib pickle platform pprint queue random re secrets
  shlex shutil signal socket ssl stat statistics string struct subprocess sys tempfile textwrap threading
  time timeit traceback types typing unicodedata unittest urllib uuid warnings weakref xml zipfile zlib
  zoneinfo`.split(/\s+/),
);

/** True when `module` (dotted) is stdlib, `requests`, `pyspark` or the framework package. */
export function isAllowedImport(module: string): boolean {
  const top = module.split('.')[0] ?? module;
  if (top === 'databricks') return module === FRAMEWORK || module.startsWith(`${FRAMEWORK}.`);
  return STDLIB.has(top) || ALLOWED_THIRD_PARTY.has(top);
}

/** The imports of `source` that are not allowed, as written (dotted), once each. */
export function disallowedImports(source: string): string[] {
  return [...new Set(importedModules(source).filter((module) => !isAllowedImport(module)))];
}
