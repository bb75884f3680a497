import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Loads `.env` from `dir` when there is one, with Node's own loader (`process.loadEnvFile`):
 * variables already set win, and Probot's manifest flow writes exactly this file (the key on one
 * line with `\n` escapes, which `PRIVATE_KEY` parsing turns back into newlines). Returns the path
 * it loaded, or `null`.
 */
export function loadDotEnv(
  dir: string = process.cwd(),
  load: (path: string) => void = (path) => process.loadEnvFile(path),
): string | null {
  const path = join(dir, '.env');
  if (!existsSync(path)) return null;
  load(path);
  return path;
}
