import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * The environment with `PRIVATE_KEY` in the forms Probot users reach for: the PEM itself (with
 * real or `\n`-escaped newlines), the PEM base64-encoded (one line, as some secret stores want),
 * or, when `PRIVATE_KEY` is unset, the file `PRIVATE_KEY_PATH` names. A path that cannot be read is
 * a `ConfigError` naming it. Anything else is left for the schema to refuse.
 */
export function withPrivateKey(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const key = env.PRIVATE_KEY;
  if (key !== undefined && key !== '') {
    if (PEM.test(key)) return env;
    const decoded = decodeBase64(key);
    return decoded !== null && PEM.test(decoded) ? { ...env, PRIVATE_KEY: decoded } : env;
  }
  const path = env.PRIVATE_KEY_PATH;
  if (path === undefined || path === '') return env;
  try {
    return { ...env, PRIVATE_KEY: readFileSync(path, 'utf8') };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`PRIVATE_KEY_PATH (${path}) cannot be read: ${reason}`, { cause: error });
  }
}

function decodeBase64(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64').toString('utf8');
}
