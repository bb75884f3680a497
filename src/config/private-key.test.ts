import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { withPrivateKey } from './private-key.js';

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n';

describe('withPrivateKey', () => {
  it('keeps a PEM as it is, with real or escaped newlines', () => {
    expect(withPrivateKey({ PRIVATE_KEY: PEM }).PRIVATE_KEY).toBe(PEM);
    const escaped = PEM.replace(/\n/g, '\\n');
    expect(withPrivateKey({ PRIVATE_KEY: escaped }).PRIVATE_KEY).toBe(escaped);
  });

  it('decodes a base64-encoded PEM', () => {
    expect(withPrivateKey({ PRIVATE_KEY: Buffer.from(PEM).toString('base64') }).PRIVATE_KEY).toBe(PEM);
  });

  it('leaves what is neither for the schema to refuse', () => {
    expect(withPrivateKey({ PRIVATE_KEY: 'not a key' }).PRIVATE_KEY).toBe('not a key');
    expect(withPrivateKey({ PRIVATE_KEY: Buffer.from('hello').toString('base64') }).PRIVATE_KEY).toBe(
      'aGVsbG8=',
    );
  });

  it('reads PRIVATE_KEY_PATH when PRIVATE_KEY is unset, and names the path it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'private-key-'));
    const path = join(dir, 'app.pem');
    writeFileSync(path, PEM);

    expect(withPrivateKey({ PRIVATE_KEY_PATH: path }).PRIVATE_KEY).toBe(PEM);
    expect(withPrivateKey({ PRIVATE_KEY: PEM, PRIVATE_KEY_PATH: '/nowhere' }).PRIVATE_KEY).toBe(PEM);
    expect(() => withPrivateKey({ PRIVATE_KEY_PATH: join(dir, 'missing.pem') })).toThrow(ConfigError);
    expect(() => withPrivateKey({ PRIVATE_KEY_PATH: join(dir, 'missing.pem') })).toThrow(
      /^PRIVATE_KEY_PATH \(.*missing\.pem\) cannot be read/,
    );
  });
});
