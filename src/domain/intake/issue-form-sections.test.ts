import { describe, expect, it } from 'vitest';
import {
  isNoResponse,
  isSameLabel,
  parseIssueFormSections,
  quoteForMessage,
  splitLinkList,
  splitListLines,
  splitNameList,
  unwrapBackticks,
} from './issue-form-sections.js';

describe('parseIssueFormSections', () => {
  it.each([
    {
      name: 'a GitHub-rendered form',
      body: '### Source name\n\nacme_crm\n\n### Notes\n\n_No response_\n\n',
      sections: [
        { label: 'Source name', value: 'acme_crm' },
        { label: 'Notes', value: '_No response_' },
      ],
    },
    {
      name: 'CRLF line endings',
      body: '### Source name\r\n\r\nacme_crm\r\n\r\n### Notes\r\n\r\na\r\nb\r\n',
      sections: [
        { label: 'Source name', value: 'acme_crm' },
        { label: 'Notes', value: 'a\nb' },
      ],
    },
    {
      name: 'bare CR line endings',
      body: '### Notes\r\ra\rb',
      sections: [{ label: 'Notes', value: 'a\nb' }],
    },
    {
      name: 'text before the first heading',
      body: 'hello\n### Notes\nx',
      sections: [{ label: 'Notes', value: 'x' }],
    },
    {
      name: 'trailing spaces after a label',
      body: '### Notes  \t\nx',
      sections: [{ label: 'Notes', value: 'x' }],
    },
    {
      name: 'an empty section',
      body: '### Notes\n\n### Other\ny',
      sections: [
        { label: 'Notes', value: '' },
        { label: 'Other', value: 'y' },
      ],
    },
    {
      name: 'a level-4 heading',
      body: '### Notes\n#### Source name\nx',
      sections: [{ label: 'Notes', value: '#### Source name\nx' }],
    },
    {
      name: 'a heading without a space',
      body: '### Notes\n###Source name',
      sections: [{ label: 'Notes', value: '###Source name' }],
    },
    {
      name: 'an indented heading',
      body: '### Notes\n ### Source name',
      sections: [{ label: 'Notes', value: '### Source name' }],
    },
    {
      name: 'a heading with no label',
      body: '### Notes\n###   \nx',
      sections: [{ label: 'Notes', value: '###   \nx' }],
    },
    { name: 'an empty body', body: '', sections: [] },
  ])('splits $name', ({ body, sections }) => {
    expect(parseIssueFormSections(body)).toEqual(sections);
  });

  it.each([
    { name: 'inside a value', body: '### Notes\n\na <!-- hidden --> b', value: 'a   b' },
    {
      name: 'spanning lines with a fake heading',
      body: '### Notes\n\na<!--\n### Source name\n\nevil\n-->b',
      value: 'a b',
    },
    {
      name: 'before a heading on the same line',
      body: '### Notes\n\na\n<!-- x -->### Source name',
      value: 'a\n ### Source name',
    },
    { name: 'left unclosed', body: '### Notes\n\na <!-- hidden\n### Source name\n\nevil', value: 'a' },
    { name: 'in the short form <!-->', body: '### Notes\n\na<!-->b', value: 'a b' },
  ])('removes an HTML comment $name so it cannot add a section', ({ body, value }) => {
    expect(parseIssueFormSections(body)).toEqual([{ label: 'Notes', value }]);
  });
});

describe('isSameLabel', () => {
  it.each([
    ['Source name', 'Source name', true],
    ['source NAME', 'Source name', true],
    ['  Source   name \t', 'Source name', true],
    ['Source\u200Bname', 'Source name', false],
    ['Source names', 'Source name', false],
  ])('compares %j with %j as %s', (a, b, same) => {
    expect(isSameLabel(a, b)).toBe(same);
  });
});

describe('isNoResponse', () => {
  it.each([
    ['_No response_', true],
    ['  _no response_ \n', true],
    ['', true],
    [' \n ', true],
    ['No response', false],
    ['acme', false],
  ])('treats %j as %s', (value, expected) => {
    expect(isNoResponse(value)).toBe(expected);
  });
});

describe('splitListLines', () => {
  it('drops bullets, numbering and blank lines', () => {
    expect(splitListLines('- a\n* b\n+ c\n1. d\n2) e\n\n   \n  f  \n-g')).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      '-g',
    ]);
  });
});

describe('splitLinkList', () => {
  it.each([
    {
      name: 'one per line',
      value: 'https://a.io\nhttps://b.io',
      links: [['https://a.io'], ['https://b.io']],
    },
    {
      name: 'comma separated',
      value: 'https://a.io, https://b.io,https://c.io',
      links: [['https://a.io', 'https://b.io', 'https://c.io']],
    },
    {
      name: 'space separated',
      value: 'https://a.io  https://b.io',
      links: [['https://a.io', 'https://b.io']],
    },
    { name: 'a comma inside a link', value: 'https://a.io/?ids=1,2', links: [['https://a.io/?ids=1,2']] },
    { name: 'angle brackets', value: '- <https://a.io/x>', links: [['https://a.io/x']] },
    {
      name: 'markdown links',
      value: '* [API docs](https://a.io/x "Docs"), [b](<https://b.io>)',
      links: [['https://a.io/x', 'https://b.io']],
    },
    { name: 'plain text', value: 'see the docs', links: [['see', 'the', 'docs']] },
  ])('splits $name', ({ value, links }) => {
    expect(splitLinkList(value)).toEqual(links);
  });
});

describe('splitNameList', () => {
  it('splits on commas and lines and removes spaces and backticks around names', () => {
    expect(splitNameList(' `contacts` , deals,,\n- ``companies``\n* a b \n,')).toEqual([
      'contacts',
      'deals',
      'companies',
      'a b',
    ]);
  });
});

describe('unwrapBackticks', () => {
  it.each([
    ['`contacts`', 'contacts'],
    ['  ` deals ` ', 'deals'],
    ['a`b', 'a`b'],
    ['```', ''],
  ])('turns %j into %j', (value, expected) => {
    expect(unwrapBackticks(value)).toBe(expected);
  });
});

describe('quoteForMessage', () => {
  it.each([
    { name: 'a plain value', value: 'acme', quoted: '`acme`' },
    { name: 'line breaks and tabs', value: 'a\r\n\tb', quoted: '`a b`' },
    { name: 'backticks', value: 'a`b`', quoted: "`a'b'`" },
    { name: 'null bytes and escapes', value: 'a\u0000b\u001b[31mc', quoted: '`ab[31mc`' },
    { name: 'zero-width and bidi characters', value: '\u200Ba\u202Eb\u2066c\uFEFF', quoted: '`abc`' },
    { name: 'a lone surrogate', value: 'a\uD800b', quoted: '`ab`' },
    { name: 'only invisible characters', value: '\u200B\u200C', quoted: '(only invisible characters)' },
    { name: 'a long value', value: 'x'.repeat(100), quoted: `\`${'x'.repeat(59)}…\`` },
    { name: 'a long value of emoji', value: '🚀'.repeat(100), quoted: `\`${'🚀'.repeat(59)}…\`` },
  ])('quotes $name', ({ value, quoted }) => {
    expect(quoteForMessage(value)).toBe(quoted);
  });
});
