import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, runLogId } from './logging.js';

function capture(): { lines: () => Array<Record<string, unknown>>; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
  };
}

describe('createLogger', () => {
  it('writes readable lines with LOG_FORMAT=pretty, redacted the same way, and JSON otherwise', () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ destination: stream, format: 'pretty' });

    log.info({ run: 'acme/connectors#7', token: 'ghs_secret' }, 'Run planned');

    const text = chunks.join('');
    expect(text).toMatch(/INFO.*: Run planned\n/);
    expect(text).toContain('run: "acme/connectors#7"');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('ghs_secret');
    expect(() => JSON.parse(text)).toThrow();
    const json = capture();
    createLogger({ destination: json.stream }).info('Run planned');
    expect(json.lines()[0]).toMatchObject({ msg: 'Run planned', level: 30 });
  });

  it('redacts credentials at the top level, one level down and in request headers', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream });

    log.info(
      {
        token: 'ghs_top',
        auth: { token: 'ghs_nested', privateKey: 'PEM', apiKey: 'sk-ant', password: 'pw' },
        req: { headers: { authorization: 'Basic b3BzOnB3', cookie: 'session=1', 'x-api-key': 'sk-ant-2' } },
        err: { request: { headers: { authorization: 'token ghs_octokit' } } },
        issue: 42,
      },
      'Something happened',
    );

    const text = JSON.stringify(out.lines());
    for (const secret of [
      'ghs_top',
      'ghs_nested',
      'PEM',
      'sk-ant',
      'pw"',
      'b3BzOnB3',
      'session=1',
      'ghs_octokit',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(out.lines()[0]).toMatchObject({ issue: 42, msg: 'Something happened', token: '[redacted]' });
  });
});

describe('runLogId', () => {
  it('names a run as owner/repo#issue', () => {
    expect(runLogId({ owner: 'acme', repo: 'connectors', issue: 42 })).toBe('acme/connectors#42');
  });
});
