import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCommand } from './parse-command.js';
import { Command, type ParseCommandResult } from './schema.js';

const PHASE_LIST = 'one of `research`, `auth`, `implement`, `test`, `docs`, `spec`, `package`';
const TABLE_RULE =
  "A table name is spelled as the connector's `list_tables()` returns it: up to 128 characters, an ASCII letter first, then letters of either case, digits or `_`, e.g. `contacts`, `Leads`, `userGroups` or `Legal_Tags`.";
const FEEDBACK_OF_10000 = 'x'.repeat(10_000);
const FIFTY_TABLES = Array.from({ length: 50 }, (_, i) => `t${i}`);
const FIFTY_ONE_TABLES = Array.from({ length: 51 }, (_, i) => `t${i}`);

const ParseCommandResultShape = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('command'), command: Command, prefixed: z.boolean() }),
  z.strictObject({
    kind: z.literal('invalid'),
    name: z.string().min(1).max(32),
    message: z.string().min(1),
    prefixed: z.boolean(),
  }),
]);

/** Deterministic hostile text: fragments of markdown, commands and control characters, shuffled. */
function buildHostileBodies(count: number): string[] {
  // biome-ignore format: a compact table of fragments
  const fragments = ['/', '`', '```', '~~~', '<!--', '-->', '>', ' ', '    ', '\t', '\n', '\r\n', '\r', 'approve', 'revise',
    'restart', 'add-tables', 'test', 'Orders', ',', '.', '\u202E', '\u200B', '\uFEFF', '\u0000', '\uD83D', '@x', '//',
    '/approve', '/revise ', '/restart ', '/add-tables ', '\n/', '\n   /', 'Help', 'docs', '/lakeflow ', 'LakeFlow',
    '/lakeflow\t'];
  let seed = 42;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed >> 16;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + (next() % 40) }, () => fragments[next() % fragments.length]).join(''),
  );
}

function invalid(name: string, message: string, prefixed = false): ParseCommandResult {
  return { kind: 'invalid', name, message, prefixed };
}

describe('parseCommand', () => {
  describe('when the comment holds a well-formed command', () => {
    it.each<[string, string, Command]>([
      ['a bare command', '/approve', { type: 'approve' }],
      ['a capitalised name', '/Approve', { type: 'approve' }],
      ['an upper-case name', '/APPROVE', { type: 'approve' }],
      ['three spaces of indent', '   /approve', { type: 'approve' }],
      ['trailing spaces and a tab', '/approve  \t', { type: 'approve' }],
      ['a CRLF line end', '/approve\r\nThanks!\r\n', { type: 'approve' }],
      ['prose around the command line', 'Looks good.\n\n/approve\n\nThanks, Ana', { type: 'approve' }],
      ['a BOM before the slash', '\uFEFF/approve', { type: 'approve' }],
      ['zero-width characters before the slash', '\u200B \u200D/approve', { type: 'approve' }],
      ['a zero-width space inside the name', '/app\u200Brove', { type: 'approve' }],
      ['a word joiner after the name', '/approve\u2060', { type: 'approve' }],
      ['retry', '/retry', { type: 'retry' }],
      ['skip-auth', '/skip-auth', { type: 'skip-auth' }],
      ['cancel', '/cancel', { type: 'cancel' }],
      ['status', '/status', { type: 'status' }],
      ['help', '/help', { type: 'help' }],
      ['restart with a phase', '/restart test', { type: 'restart', phase: 'test' }],
      ['restart with extra spaces', '/restart   implement  ', { type: 'restart', phase: 'implement' }],
      ['restart with a phase in backticks', '/restart `docs`', { type: 'restart', phase: 'docs' }],
      ['restart in mixed case', '/Restart Package', { type: 'restart', phase: 'package' }],
      [
        'revise on one line',
        '/revise use cursor pagination',
        { type: 'revise', feedback: 'use cursor pagination' },
      ],
      [
        'revise on the lines below',
        '/revise\nline one\n\nline two\n',
        { type: 'revise', feedback: 'line one\n\nline two' },
      ],
      ['revise over CRLF lines', '/revise first\r\nsecond', { type: 'revise', feedback: 'first\nsecond' }],
      [
        'revise keeping later command lines',
        '/revise a\n/approve',
        { type: 'revise', feedback: 'a\n/approve' },
      ],
      ['revise keeping code blocks', '/revise\n```\nerr\n```', { type: 'revise', feedback: '```\nerr\n```' }],
      ['revise with null bytes kept', '/revise fix\u0000it', { type: 'revise', feedback: 'fix\u0000it' }],
      [
        'revise of exactly 10000 characters',
        `/revise ${FEEDBACK_OF_10000}`,
        { type: 'revise', feedback: FEEDBACK_OF_10000 },
      ],
      ['add-tables with one table', '/add-tables orders', { type: 'add-tables', tables: ['orders'] }],
      [
        'add-tables with names in the case the API uses',
        '/add-tables Leads, userGroups `Legal_Notes` Sites__Buildings',
        { type: 'add-tables', tables: ['Leads', 'userGroups', 'Legal_Notes', 'Sites__Buildings'] },
      ],
      [
        'add-tables with commas and spaces',
        '/add-tables orders,refunds  customers',
        { type: 'add-tables', tables: ['orders', 'refunds', 'customers'] },
      ],
      [
        'add-tables with backticks',
        '/add-tables `orders`, `refunds`',
        { type: 'add-tables', tables: ['orders', 'refunds'] },
      ],
      [
        'add-tables with stray commas',
        '/add-tables ,orders , ,refunds,',
        { type: 'add-tables', tables: ['orders', 'refunds'] },
      ],
      [
        'add-tables with 50 tables',
        `/add-tables ${FIFTY_TABLES.join(',')}`,
        { type: 'add-tables', tables: FIFTY_TABLES },
      ],
    ])('reads %s', (_label, body, command) => {
      const result = parseCommand(body);

      expect(result).toEqual({ kind: 'command', command, prefixed: false });
    });
  });

  describe('when the comment holds several candidate lines', () => {
    it.each<[string, string, ParseCommandResult]>([
      [
        'the first of two commands',
        '/approve\n/cancel',
        { kind: 'command', command: { type: 'approve' }, prefixed: false },
      ],
      [
        'a command after a path line',
        '/usr/bin/env is gone\n/retry',
        { kind: 'command', command: { type: 'retry' }, prefixed: false },
      ],
      [
        'a command after a quoted one',
        '> /cancel\n/approve',
        { kind: 'command', command: { type: 'approve' }, prefixed: false },
      ],
      [
        'a command after a fenced one',
        '```\n/cancel\n```\n/approve',
        { kind: 'command', command: { type: 'approve' }, prefixed: false },
      ],
      [
        'a command after a one-line HTML comment',
        '<!-- /cancel -->\n/approve',
        { kind: 'command', command: { type: 'approve' }, prefixed: false },
      ],
      [
        'a command after a multi-line HTML comment',
        '<!--\n/cancel\n-->\n/approve',
        { kind: 'command', command: { type: 'approve' }, prefixed: false },
      ],
      [
        'a command after `<!--` in inline code',
        'Use `<!--` to hide text\n/approve',
        { kind: 'command', command: { type: 'approve' }, prefixed: false },
      ],
      [
        'a command whose line ends in an HTML comment',
        '/approve <!-- after lunch -->',
        { kind: 'command', command: { type: 'approve' }, prefixed: false },
      ],
      [
        'a command whose line opens an HTML comment',
        '/approve <!--\nhidden\n-->',
        { kind: 'command', command: { type: 'approve' }, prefixed: false },
      ],
      [
        'an invalid first command over a valid second',
        '/aprove\n/approve',
        invalid('aprove', '`/aprove` is not a command. Did you mean `/approve`?'),
      ],
    ])('takes %s', (_label, body, expected) => {
      const result = parseCommand(body);

      expect(result).toEqual(expected);
    });
  });

  describe('when the comment holds no command', () => {
    it.each<[string, string]>([
      ['an empty comment', ''],
      ['prose', 'LGTM, ship it'],
      ['a slash later in the line', 'please /approve'],
      ['inline code', '`/approve`'],
      ['a quote', '> /approve'],
      ['a quote without a space', '>/approve'],
      ['a nested quote', '> > /approve'],
      ['an indented quote', '   > /approve'],
      ['a backtick fence', '```\n/approve\n```'],
      ['a tilde fence', '~~~\n/approve\n~~~'],
      ['a fence with an info string', '```python\n/approve\n```'],
      ['a longer fence closed only by a long enough fence', '````\n```\n/approve\n````'],
      ['a fence closed by the other fence character', '~~~\n/approve\n```'],
      ['a fence whose closing line has text after it', '```\n``` not a close\n/approve'],
      ['an unterminated fence', 'see:\n```\n/approve'],
      ['four spaces of indent', '    /approve'],
      ['a tab indent', '\t/approve'],
      ['a one-line HTML comment', '<!-- /approve -->'],
      ['a multi-line HTML comment', '<!--\n/approve\n-->'],
      ['an unterminated HTML comment', '<!-- note\n/approve'],
      ['the line that closes an HTML comment', '<!--\nx\n--> /approve'],
      ['a list item', '- /approve'],
      ['a heading', '# /approve'],
      ['a path', '/usr/bin/python3'],
      ['a relative path', '/path/to/x'],
      ['a double slash', '//comment'],
      ['a slash then a space', '/ approve'],
      ['a lone slash', '/'],
      ['a slash then spaces', '/   '],
      ['a slash then digits', '/123'],
      ['a dotfile', '/.env'],
      ['a URL', 'https://github.com/o/r/issues/1#/approve'],
      ['a URL after the slash', '/https://example.com'],
      ['an email', 'alice@example.com /approve'],
      ['an unknown word glued to punctuation', '/shrug.'],
      ['a right-to-left override before the slash', '\u202E/approve'],
      ['a right-to-left override after the name', '/approve\u202E'],
      ['a reversed name behind a right-to-left override', '/\u202Eevorppa'],
      ['a null byte before the slash', '\u0000/approve'],
      ['a null byte after the name', '/approve\u0000'],
      ['a word too long to be a command', `/${'a'.repeat(33)}`],
      ['a command past the first 64 KB', `${'x'.repeat(70_000)}\n/approve`],
      ['a huge line of slashes', '/'.repeat(100_000)],
    ])('ignores %s', (_label, body) => {
      const result = parseCommand(body);

      expect(result).toEqual({ kind: 'none' });
    });
  });

  describe('when the command name is unknown or misspelt', () => {
    it.each<[string, ParseCommandResult]>([
      ['/aprove', invalid('aprove', '`/aprove` is not a command. Did you mean `/approve`?')],
      ['/APROVE', invalid('aprove', '`/aprove` is not a command. Did you mean `/approve`?')],
      ['/approved', invalid('approved', '`/approved` is not a command. Did you mean `/approve`?')],
      ['/skip_auth', invalid('skip_auth', '`/skip_auth` is not a command. Did you mean `/skip-auth`?')],
      ['/cancle', invalid('cancle', '`/cancle` is not a command. Did you mean `/cancel`?')],
      [
        '/add-table orders',
        invalid('add-table', '`/add-table` is not a command. Did you mean `/add-tables`?'),
      ],
      ['/foo', invalid('foo', '`/foo` is not a command. Comment `/help` to see the commands.')],
      ['/s', invalid('s', '`/s` is not a command. Comment `/help` to see the commands.')],
      ['/approve.', invalid('approve', 'Write `/approve` on its own, without the `.` after it.')],
      ['/approve!', invalid('approve', 'Write `/approve` on its own, without the `!` after it.')],
      ['/Help?', invalid('help', 'Write `/help` on its own, without the `?` after it.')],
    ])('answers %j with a hint', (body, expected) => {
      const result = parseCommand(body);

      expect(result).toEqual(expected);
    });
  });

  describe('when the arguments are wrong', () => {
    it.each<[string, string, ParseCommandResult]>([
      [
        'approve with text',
        '/approve thanks!',
        invalid('approve', '`/approve` takes no arguments; to give feedback, use `/revise <text>`.'),
      ],
      [
        'retry with text',
        '/retry now',
        invalid('retry', '`/retry` takes no arguments; to give feedback, use `/revise <text>`.'),
      ],
      ['status with text', '/status please', invalid('status', '`/status` takes no arguments.')],
      ['cancel with text', '/cancel it', invalid('cancel', '`/cancel` takes no arguments.')],
      [
        'restart without a phase',
        '/restart',
        invalid('restart', `\`/restart\` needs a phase: ${PHASE_LIST}.`),
      ],
      [
        'restart with two phases',
        '/restart test docs',
        invalid('restart', `\`/restart\` takes exactly one phase: ${PHASE_LIST}.`),
      ],
      [
        'restart with a near-miss phase',
        '/restart tests',
        invalid(
          'restart',
          `\`tests\` is not a phase; \`/restart\` needs ${PHASE_LIST}. Did you mean \`test\`?`,
        ),
      ],
      [
        'restart with a stage id',
        '/restart docs_spec',
        invalid('restart', `\`docs_spec\` is not a phase; \`/restart\` needs ${PHASE_LIST}.`),
      ],
      [
        'restart with a long word',
        `/restart ${'z'.repeat(50)}`,
        invalid('restart', `\`${'z'.repeat(40)}…\` is not a phase; \`/restart\` needs ${PHASE_LIST}.`),
      ],
      [
        'revise without feedback',
        '/revise',
        invalid(
          'revise',
          '`/revise` needs feedback: write what to change after `/revise`, on the same line or below it.',
        ),
      ],
      [
        'revise with blank lines only',
        '/revise  \n \n\t',
        invalid(
          'revise',
          '`/revise` needs feedback: write what to change after `/revise`, on the same line or below it.',
        ),
      ],
      [
        'revise over 10000 characters',
        `/revise ${'x'.repeat(10_001)}`,
        invalid('revise', '`/revise` feedback is 10001 characters long; the limit is 10000.'),
      ],
      [
        'revise past the 64 KB scan limit',
        `/revise ${'x'.repeat(100_000)}`,
        invalid('revise', '`/revise` feedback is 65528 characters long; the limit is 10000.'),
      ],
      [
        'add-tables without tables',
        '/add-tables',
        invalid(
          'add-tables',
          '`/add-tables` needs at least one table name, e.g. `/add-tables orders, refunds`.',
        ),
      ],
      [
        'add-tables with only separators',
        '/add-tables ` , `',
        invalid(
          'add-tables',
          '`/add-tables` needs at least one table name, e.g. `/add-tables orders, refunds`.',
        ),
      ],
      [
        'add-tables with a path',
        '/add-tables ../Leads',
        invalid('add-tables', `\`../Leads\` is not a valid table name. ${TABLE_RULE}`),
      ],
      [
        'add-tables with several bad names',
        '/add-tables Deal-Stages, 1x',
        invalid(
          'add-tables',
          `Not valid table names: \`Deal-Stages\` (use \`Deal_Stages\`), \`1x\`. ${TABLE_RULE}`,
        ),
      ],
      [
        'add-tables with a repeated name',
        '/add-tables orders, orders',
        invalid('add-tables', '`orders` is listed more than once.'),
      ],
      [
        'add-tables with 51 tables',
        `/add-tables ${FIFTY_ONE_TABLES.join(' ')}`,
        invalid('add-tables', '`/add-tables` takes at most 50 tables at a time; this lists 51.'),
      ],
    ])('answers %s with what would work', (_label, body, expected) => {
      const result = parseCommand(body);

      expect(result).toEqual(expected);
    });
  });

  describe('when the command is written after /lakeflow', () => {
    it.each<[string, string, Command]>([
      ['the prefixed form', '/lakeflow approve', { type: 'approve' }],
      ['a capitalised prefix', '/Lakeflow approve', { type: 'approve' }],
      ['an upper-case prefix and name', '/LAKEFLOW APPROVE', { type: 'approve' }],
      ['several spaces after the prefix', '/lakeflow    approve', { type: 'approve' }],
      ['a tab after the prefix', '/lakeflow\tapprove', { type: 'approve' }],
      ['three spaces of indent', '   /lakeflow approve', { type: 'approve' }],
      ['a BOM before the slash', '\uFEFF/lakeflow approve', { type: 'approve' }],
      ['a zero-width space inside the prefix', '/lake\u200Bflow approve', { type: 'approve' }],
      ['a zero-width space before the name', '/lakeflow \u200Bapprove', { type: 'approve' }],
      ['a zero-width joiner inside the name', '/lakeflow app\u200Drove', { type: 'approve' }],
      ['prose around the command line', 'Looks good.\n\n/lakeflow approve\n\nThanks', { type: 'approve' }],
      ['a command after a quoted one', '> /lakeflow cancel\n/lakeflow approve', { type: 'approve' }],
      ['a command after a fenced one', '```\n/lakeflow cancel\n```\n/lakeflow approve', { type: 'approve' }],
      [
        'a command after an HTML comment',
        '<!-- /lakeflow cancel -->\n/lakeflow approve',
        { type: 'approve' },
      ],
      ['help', '/lakeflow help', { type: 'help' }],
      ['restart with a phase', '/lakeflow restart test', { type: 'restart', phase: 'test' }],
      [
        'add-tables',
        '/lakeflow add-tables orders, refunds',
        { type: 'add-tables', tables: ['orders', 'refunds'] },
      ],
      ['revise on one line', '/lakeflow revise use cursors', { type: 'revise', feedback: 'use cursors' }],
      [
        'revise on the lines below',
        '/lakeflow revise\nline one\n\nline two\n',
        { type: 'revise', feedback: 'line one\n\nline two' },
      ],
      [
        'revise keeping later command lines',
        '/lakeflow revise a\n/lakeflow approve\n/approve',
        { type: 'revise', feedback: 'a\n/lakeflow approve\n/approve' },
      ],
    ])('reads %s', (_label, body, command) => {
      expect(parseCommand(body)).toEqual({ kind: 'command', command, prefixed: true });
    });

    it.each<[string, string, ParseCommandResult]>([
      [
        'a prefixed command before a bare one',
        '/lakeflow approve\n/cancel',
        { kind: 'command', command: { type: 'approve' }, prefixed: true },
      ],
      [
        'a bare command before a prefixed one',
        '/approve\n/lakeflow cancel',
        { kind: 'command', command: { type: 'approve' }, prefixed: false },
      ],
      [
        'a prefixed command after a path line',
        '/usr/bin/env is gone\n/lakeflow retry',
        { kind: 'command', command: { type: 'retry' }, prefixed: true },
      ],
    ])('takes %s', (_label, body, expected) => {
      expect(parseCommand(body)).toEqual(expected);
    });

    it.each<[string, string]>([
      ['a prefix later in the line', 'please /lakeflow approve'],
      ['inline code', '`/lakeflow approve`'],
      ['a quote', '> /lakeflow approve'],
      ['a backtick fence', '```\n/lakeflow approve\n```'],
      ['a tilde fence', '~~~\n/lakeflow approve\n~~~'],
      ['an unterminated fence', 'see:\n```\n/lakeflow approve'],
      ['four spaces of indent', '    /lakeflow approve'],
      ['a one-line HTML comment', '<!-- /lakeflow approve -->'],
      ['a multi-line HTML comment', '<!--\n/lakeflow approve\n-->'],
      ['a right-to-left override before the slash', '\u202E/lakeflow approve'],
      ['a right-to-left override inside the prefix', '/lake\u202Eflow approve'],
      ['a right-to-left override after the prefix', '/lakeflow\u202E approve'],
      ['a reversed name behind a right-to-left override', '/lakeflow \u202Eevorppa'],
      ['a right-to-left override after the name', '/lakeflow approve\u202E'],
      ['a left-to-right isolate before the name', '/lakeflow \u2066approve'],
      ['a null byte before the name', '/lakeflow \u0000approve'],
      ['a second slash before the name', '/lakeflow /approve'],
      ['a number after the prefix', '/lakeflow 123'],
      ['an unknown word glued to punctuation', '/lakeflow shrug.'],
      ['a command past the first 64 KB', `${'x'.repeat(70_000)}\n/lakeflow approve`],
    ])('ignores %s', (_label, body) => {
      expect(parseCommand(body)).toEqual({ kind: 'none' });
    });

    it.each<[string, ParseCommandResult]>([
      [
        '/lakeflow aprove',
        invalid('aprove', '`/lakeflow aprove` is not a command. Did you mean `/lakeflow approve`?', true),
      ],
      [
        '/Lakeflow SKIP_AUTH',
        invalid(
          'skip_auth',
          '`/lakeflow skip_auth` is not a command. Did you mean `/lakeflow skip-auth`?',
          true,
        ),
      ],
      [
        '/lakeflow lgtm',
        invalid(
          'lgtm',
          '`/lakeflow lgtm` is not a command. Comment `/lakeflow help` to see the commands.',
          true,
        ),
      ],
      [
        '/lakeflow approve.',
        invalid('approve', 'Write `/lakeflow approve` on its own, without the `.` after it.', true),
      ],
      [
        '/lakeflow',
        invalid(
          'lakeflow',
          '`/lakeflow` needs a command after it, e.g. `/lakeflow approve`; `/lakeflow help` lists them.',
          true,
        ),
      ],
      [
        '/lakeflow \u200B ',
        invalid(
          'lakeflow',
          '`/lakeflow` needs a command after it, e.g. `/lakeflow approve`; `/lakeflow help` lists them.',
          true,
        ),
      ],
      [
        '/lakeflow approve thanks!',
        invalid(
          'approve',
          '`/lakeflow approve` takes no arguments; to give feedback, use `/lakeflow revise <text>`.',
          true,
        ),
      ],
      [
        '/lakeflow restart tests',
        invalid(
          'restart',
          `\`tests\` is not a phase; \`/lakeflow restart\` needs ${PHASE_LIST}. Did you mean \`test\`?`,
          true,
        ),
      ],
      [
        '/lakeflow revise',
        invalid(
          'revise',
          '`/lakeflow revise` needs feedback: write what to change after `/lakeflow revise`, on the same line or below it.',
          true,
        ),
      ],
      [
        '/lakeflow add-tables',
        invalid(
          'add-tables',
          '`/lakeflow add-tables` needs at least one table name, e.g. `/lakeflow add-tables orders, refunds`.',
          true,
        ),
      ],
      [
        '/lakeflow add-tables ../Leads',
        invalid('add-tables', `\`../Leads\` is not a valid table name. ${TABLE_RULE}`, true),
      ],
    ])('answers %j in the prefixed form', (body, expected) => {
      expect(parseCommand(body)).toEqual(expected);
    });
  });

  describe('when given arbitrary text', () => {
    it('returns a result that matches its schema for 500 hostile bodies', () => {
      const bodies = buildHostileBodies(500);

      const results = bodies.map((body) => ({ body, result: parseCommand(body) }));

      const malformed = results.filter(({ result }) => !ParseCommandResultShape.safeParse(result).success);
      expect(malformed).toEqual([]);
    });
  });
});
