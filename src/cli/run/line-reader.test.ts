import { getEventListeners } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLineReader } from './line-reader.js';

describe('createLineReader', () => {
  it('reads lines in order, then null at the end of input', async () => {
    const input = new PassThrough();
    input.end('a\nr more tests\n');
    const reader = createLineReader(input);
    const signal = new AbortController().signal;

    expect(await reader.next(signal)).toBe('a');
    expect(await reader.next(signal)).toBe('r more tests');
    expect(await reader.next(signal)).toBeNull();
    reader.close();
  });

  it('leaves no abort listener behind on the signal once a question is answered', async () => {
    const input = new PassThrough();
    input.end(`${Array.from({ length: 15 }, () => 'a').join('\n')}\n`);
    const reader = createLineReader(input);
    const signal = new AbortController().signal;

    for (let i = 0; i < 15; i++) await reader.next(signal);

    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    reader.close();
  });

  it('answers null as soon as the signal aborts, with no line read', async () => {
    const input = new PassThrough();
    const reader = createLineReader(input);
    const stop = new AbortController();

    const pending = reader.next(stop.signal);
    stop.abort();

    expect(await pending).toBeNull();
    reader.close();
  });
});
