import { describe, expect, it } from 'vitest';
import { parseTableList, type TableListResult } from './table-list.js';

const RULE =
  'Table names are lower snake case: a letter, then letters, digits or `_`, at most 63 characters.';

describe('parseTableList', () => {
  describe('when the names are valid', () => {
    it.each<[string, string[]]>([
      ['orders', ['orders']],
      ['orders,refunds', ['orders', 'refunds']],
      ['  orders ,\trefunds\u00A0 customers ', ['orders', 'refunds', 'customers']],
      ['`orders`,`refunds`', ['orders', 'refunds']],
      ['`orders, refunds`', ['orders', 'refunds']],
      ['a1_b2', ['a1_b2']],
    ])('reads %j', (args, tables) => {
      const result = parseTableList(args);

      expect(result).toEqual({ ok: true, tables });
    });
  });

  describe('when some names are wrong', () => {
    it.each<[string, string, TableListResult]>([
      [
        'a hyphenated name',
        'order-items',
        { ok: false, message: `\`order-items\` is not a valid table name (use \`order_items\`). ${RULE}` },
      ],
      [
        'a name with a semicolon',
        'orders;',
        { ok: false, message: `\`orders;\` is not a valid table name. ${RULE}` },
      ],
      ['a mention', '@alice', { ok: false, message: `\`@alice\` is not a valid table name. ${RULE}` }],
      [
        'a very long name',
        'X'.repeat(80),
        { ok: false, message: `\`${'X'.repeat(40)}…\` is not a valid table name. ${RULE}` },
      ],
      [
        'seven bad names',
        'A B C D E F G',
        {
          ok: false,
          message: `Not valid table names: \`A\` (use \`a\`), \`B\` (use \`b\`), \`C\` (use \`c\`), \`D\` (use \`d\`), \`E\` (use \`e\`) and 2 more. ${RULE}`,
        },
      ],
      ['two repeated names', 'a b a b c', { ok: false, message: '`a`, `b` are listed more than once.' }],
      [
        'a name repeated in a different case',
        'orders Orders',
        { ok: false, message: `\`Orders\` is not a valid table name (use \`orders\`). ${RULE}` },
      ],
    ])('refuses %s', (_label, args, expected) => {
      const result = parseTableList(args);

      expect(result).toEqual(expected);
    });
  });
});
