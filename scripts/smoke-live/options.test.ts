import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST, parseSmokeArgs } from './options.js';

describe('parseSmokeArgs', () => {
  it('asks for the default request with --repo alone, polling every 5 s, research allowed 20 min', () => {
    expect(parseSmokeArgs(['--repo', 'acme/scratch'])).toEqual({
      kind: 'run',
      options: {
        owner: 'acme',
        repo: 'scratch',
        request: DEFAULT_REQUEST,
        researchTimeoutMs: 20 * 60_000,
        pollMs: 5_000,
      },
    });
  });

  it('keeps the default source with other tables, and drops its docs and tables for another source', () => {
    const tables = parseSmokeArgs(['--repo', 'acme/scratch', '--tables', 'todos']);
    const other = parseSmokeArgs([
      '--repo',
      'a/b',
      '--source',
      'brightdesk',
      '--docs',
      'https://x.example/a',
    ]);

    expect(tables.kind === 'run' && tables.options.request).toEqual({ ...DEFAULT_REQUEST, tables: 'todos' });
    expect(other.kind === 'run' && other.options.request).toEqual({
      source: 'brightdesk',
      docsUrls: ['https://x.example/a'],
      tables: '',
    });
  });

  it.each([
    [[], /^refusing to run without --repo owner\/name: /],
    [['--source', 'x_y'], /^refusing to run without --repo/],
    [['--repo', 'acme'], /^--repo must be owner\/name/],
    [['--repo', 'a/b', '--source', 'Bad-Name'], /^--source must be 2–40/],
    [['--repo', 'a/b', '--docs', 'ftp://x'], /^--docs\.0 must be an http\(s\) URL/],
    [['--repo', 'a/b', '--research-minutes', '0'], /^--research-minutes /],
    [['--repo', 'a/b', '--wat'], /^Unknown option '--wat'/],
  ])('refuses %j', (argv, message) => {
    const parsed = parseSmokeArgs(argv);

    expect(parsed.kind).toBe('refuse');
    expect(parsed.kind === 'refuse' && parsed.message).toMatch(message);
  });

  it('answers --help before anything else', () => {
    expect(parseSmokeArgs(['-h'])).toEqual({ kind: 'help' });
  });
});
