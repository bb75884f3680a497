import { findSecrets } from '../sanitize/secret-scan.js';
import { cite, fail, firstHit, pass } from './evidence.js';
import type { CheckResult } from './schema.js';

/** Security checks the bot decides from the connector's modules alone: a hit fails, none passes. */
const SCANS: ReadonlyArray<{ id: string; pattern: RegExp; found: string; clean: string }> = [
  {
    id: 'D2',
    pattern: /(?<![\w.])(?:eval|exec|compile|__import__)\s*\(/,
    found: 'calls eval/exec/compile/`__import__`',
    clean: 'no eval, exec, compile or dynamic `__import__`',
  },
  {
    id: 'D3',
    pattern:
      /\bimport\s+subprocess\b|\bfrom\s+subprocess\b|\bsubprocess\.|\bos\.(?:system|popen)\s*\(|\bPopen\s*\(|\bshell\s*=\s*True\b/,
    found: 'runs a subprocess or shell',
    clean: 'no subprocess, `os.system`, popen or `shell=True`',
  },
  {
    id: 'D4',
    pattern: /\bverify\s*=\s*False\b/,
    found: 'turns TLS verification off (`verify=False`)',
    clean: 'no `verify=False`',
  },
  {
    id: 'D5',
    pattern: /\bpickle\.loads?\s*\(/,
    found: 'unpickles data (`pickle.load`)',
    clean: 'no `pickle.load`',
  },
  {
    id: 'D6',
    pattern: /\byaml\.(?:load|unsafe_load|full_load)\s*\((?![^\n]*SafeLoader)/,
    found: 'loads YAML without `yaml.safe_load`',
    clean: 'YAML, if any, is read with `safe_load`',
  },
  {
    id: 'D9',
    pattern: /["']http:\/\/(?!localhost\b|127\.0\.0\.1\b)/,
    found: 'uses a plain `http://` URL',
    clean: 'no `http://` base URLs',
  },
];

/**
 * D2–D6 and D9 on the connector's own modules (the merged file is generated from them), and D1
 * only as a fail: a credential-looking literal is certain, its absence is left to the reviewer.
 */
export function securityChecks(
  files: ReadonlyMap<string, string>,
  modules: readonly string[],
): CheckResult[] {
  if (modules.length === 0) return [];
  const scanned = SCANS.map(({ id, pattern, found, clean }) => {
    const hit = firstHit(files, modules, pattern);
    return hit === null ? pass(id, clean) : fail(id, `The connector ${found}.`, cite(hit.path, hit.line));
  });
  for (const path of modules) {
    const [secret] = findSecrets(files.get(path) ?? '');
    if (secret !== undefined) {
      return [fail('D1', `A hard-coded credential (${secret.kind}).`, cite(path, secret.line)), ...scanned];
    }
  }
  return scanned;
}
