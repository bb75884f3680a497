import { describe, expect, it } from 'vitest';
import { type CandidateLine, MAX_SCANNED_CHARS, parseCommentLines } from './command-lines.js';

describe('parseCommentLines', () => {
  describe('when the comment mixes markdown blocks', () => {
    it.each<[string, string, CandidateLine[]]>([
      [
        'plain lines',
        'a\n/b\n c\n   /d',
        [
          { index: 1, text: '/b' },
          { index: 3, text: '/d' },
        ],
      ],
      ['quotes', '> /a\n/b', [{ index: 1, text: '/b' }]],
      ['indented code', '    /a\n\t/b\n/c', [{ index: 2, text: '/c' }]],
      ['a closed fence', '```\n/a\n```\n/b', [{ index: 3, text: '/b' }]],
      ['a fence indented by three spaces', '   ~~~~\n/a\n   ~~~~~\n/b', [{ index: 3, text: '/b' }]],
      ['a fence inside a quote', '> ```\n/a', [{ index: 1, text: '/a' }]],
      ['a backtick line that is inline code, not a fence', '```a`b```\n/a', [{ index: 1, text: '/a' }]],
      ['a fence opened in indented code', '    ```\n/a', [{ index: 1, text: '/a' }]],
      ['an HTML comment mid-line', 'x <!-- y\n/a\n-->\n/b', [{ index: 3, text: '/b' }]],
      ['an HTML comment inside a fence', '```\n<!--\n```\n/a', [{ index: 3, text: '/a' }]],
      ['a fence inside an HTML comment', '<!--\n```\n-->\n/a', [{ index: 3, text: '/a' }]],
      ['two comments on a command line', '/a <!-- x --> b <!-- y -->', [{ index: 0, text: '/a  b ' }]],
      [
        '`<!--` in inline code',
        '/a `<!--` b\n/c',
        [
          { index: 0, text: '/a `<!--` b' },
          { index: 1, text: '/c' },
        ],
      ],
      [
        'invisible characters before the slash',
        '\uFEFF/a\n\u200B  \u2060/b',
        [
          { index: 0, text: '/a' },
          { index: 1, text: '/b' },
        ],
      ],
      ['invisible characters pushing the indent to four', '\u200B    /a', []],
    ])('picks the command lines among %s', (_label, body, candidates) => {
      const result = parseCommentLines(body);

      expect(result.candidates).toEqual(candidates);
    });
  });

  describe('when the comment has mixed line endings', () => {
    it('splits on CRLF, CR and LF alike', () => {
      const body = 'a\r\nb\rc\nd';

      const result = parseCommentLines(body);

      expect(result.lines).toEqual(['a', 'b', 'c', 'd']);
    });
  });

  describe('when the comment is longer than the scan limit', () => {
    it('scans only the first 64 KB', () => {
      const body = `${'x'.repeat(MAX_SCANNED_CHARS - 2)}\n/a\n/b`;

      const result = parseCommentLines(body);

      expect(result.candidates).toEqual([{ index: 1, text: '/' }]);
    });
  });
});
