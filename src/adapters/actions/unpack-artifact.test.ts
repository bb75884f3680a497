import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { unpackArtifact } from './unpack-artifact.js';

const LIMITS = { maxEntries: 5, maxUncompressedBytes: 10_000 };

function text(files: Map<string, Uint8Array>): Record<string, string> {
  return Object.fromEntries([...files].map(([path, data]) => [path, Buffer.from(data).toString('utf8')]));
}

/** Rewrites the uncompressed size every central directory header declares (a lying zip). */
function declareSize(zip: Uint8Array, size: number): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  for (let offset = 0; offset + 4 <= copy.length; offset += 1) {
    if (view.getUint32(offset, true) === 0x02014b50) view.setUint32(offset + 24, size, true);
  }
  return copy;
}

describe('unpackArtifact', () => {
  it('unpacks files and folders by path', () => {
    const zip = zipSync({ 'summary.json': strToU8('{}'), logs: { 'pytest.txt': strToU8('1 failed') } });

    expect(text(unpackArtifact(zip, LIMITS))).toEqual({
      'summary.json': '{}',
      'logs/pytest.txt': '1 failed',
    });
  });

  it('skips entries whose names leave the artifact', () => {
    const zip = zipSync({
      '../evil.txt': strToU8('x'),
      '/etc/passwd': strToU8('x'),
      'a/../../b.txt': strToU8('x'),
      'C:\\windows.txt': strToU8('x'),
      'junit.xml': strToU8('<testsuite/>'),
    });

    expect([...unpackArtifact(zip, LIMITS).keys()]).toEqual(['junit.xml']);
  });

  it('refuses a zip with too many entries', () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, strToU8('x')]));

    expect(() => unpackArtifact(zipSync(files), LIMITS)).toThrow(
      'The results artifact was refused: it holds more than 5 files.',
    );
  });

  it('refuses a zip that unpacks to more than the limit, before inflating it', () => {
    const zip = zipSync({ 'big.txt': new Uint8Array(20_000) }, { level: 9 });

    expect(zip.length).toBeLessThan(1_000);
    expect(() => unpackArtifact(zip, { maxEntries: 5, maxUncompressedBytes: 10_000 })).toThrow(
      /it unpacks to more than/,
    );
  });

  it('never inflates past the size the zip declares', () => {
    const bomb = declareSize(zipSync({ 'logs/pytest.txt': new Uint8Array(1_000_000) }, { level: 9 }), 100);

    const files = unpackArtifact(bomb, LIMITS);

    expect(files.get('logs/pytest.txt')?.length).toBeLessThanOrEqual(100);
  });

  it.each([
    ['random bytes', strToU8('this is not a zip at all, just some text that goes on')],
    ['an empty body', new Uint8Array(0)],
    ['a cut-off zip', zipSync({ 'summary.json': strToU8('{"version":1}') }).slice(0, 30)],
  ])('refuses %s as not a zip', (_what, data) => {
    expect(() => unpackArtifact(data, LIMITS)).toThrow(
      'The results artifact was refused: it is not a readable zip file.',
    );
  });
});
