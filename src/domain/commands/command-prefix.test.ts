import { describe, expect, it } from 'vitest';
import { prefixCommandMentions, spellCommand } from './command-prefix.js';
import { COMMAND_NAMES } from './schema.js';

describe('prefixCommandMentions', () => {
  it.each(COMMAND_NAMES)('writes `/%s` as `/lakeflow %s`', (name) => {
    expect(prefixCommandMentions(`Reply \`/${name}\`.`)).toBe(`Reply \`/lakeflow ${name}\`.`);
  });

  it.each<[string, string, string]>([
    [
      'arguments',
      'use `/revise <text>` or `/restart <phase>`',
      'use `/lakeflow revise <text>` or `/lakeflow restart <phase>`',
    ],
    ['a table list', 'e.g. `/add-tables orders, refunds`.', 'e.g. `/lakeflow add-tables orders, refunds`.'],
    ['bold code', 'Reply **`/approve`** to go on', 'Reply **`/lakeflow approve`** to go on'],
    [
      'two mentions in a cell',
      '| `/status`, `/help` | anyone |',
      '| `/lakeflow status`, `/lakeflow help` | anyone |',
    ],
    ['a link text', '[`/help`](https://example.com/help)', '[`/lakeflow help`](https://example.com/help)'],
    ['every line', '`/approve`\n\n`/cancel`', '`/lakeflow approve`\n\n`/lakeflow cancel`'],
    [
      'text after a closed fence',
      '```\n`/approve`\n```\n`/retry`',
      '```\n`/approve`\n```\n`/lakeflow retry`',
    ],
  ])('rewrites %s', (_label, text, expected) => {
    expect(prefixCommandMentions(text)).toBe(expected);
  });

  it.each<[string, string]>([
    ['prose without code', 'comment /approve when ready'],
    ['a longer word', 'not `/approved` nor `/helpers`'],
    ['a path', 'see `/usr/bin/env` and `/status/x` and `/help.md`'],
    ['a relative path', 'writes under `tests/unit/sources/approve`'],
    ['a URL', 'at `https://github.com/acme/approve` and https://example.com/help'],
    ['an unknown command', '`/aprove` is not a command'],
    ['a name in other case', '`/APPROVE`'],
    ['a slash in the middle', '`x /approve`'],
    ['a prefixed mention', '`/lakeflow approve` and `/lakeflow revise <text>`'],
    ['a backtick fence', '```\n`/approve`\n```'],
    ['a tilde fence with an info string', '~~~text\nrun `/approve`\n~~~'],
    ['an unterminated fence', 'log:\n````\n`/cancel`\n```'],
    ['a marker', '<!-- lakeflow-connector-bot:state v=1 eyJhIjoiL2FwcHJvdmUifQ -->'],
  ])('leaves %s as it is', (_label, text) => {
    expect(prefixCommandMentions(text)).toBe(text);
  });

  it('is idempotent', () => {
    const once = prefixCommandMentions('`/approve` · `/revise <feedback>` · `/help` lists them all.');

    expect(prefixCommandMentions(once)).toBe(once);
  });
});

describe('spellCommand', () => {
  it('writes a command bare or after the prefix', () => {
    expect([spellCommand('approve', false), spellCommand('approve', true)]).toEqual([
      '/approve',
      '/lakeflow approve',
    ]);
  });
});
