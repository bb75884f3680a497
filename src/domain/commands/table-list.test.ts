import { describe, expect, it } from 'vitest';
import { describeInvalidTableNames, parseTableList, type TableListResult } from './table-list.js';

const RULE =
  "A table name is spelled as the connector's `list_tables()` returns it: up to 128 characters, an ASCII letter first, then letters of either case, digits or `_`, e.g. `contacts`, `Leads`, `userGroups` or `Legal_Tags`.";

describe('parseTableList', () => {
  describe('when the names are valid', () => {
    it.each<[string, string[]]>([
      ['orders', ['orders']],
      ['orders,refunds', ['orders', 'refunds']],
      ['  orders ,\trefunds\u00A0 customers ', ['orders', 'refunds', 'customers']],
      ['`orders`,`refunds`', ['orders', 'refunds']],
      ['`orders, refunds`', ['orders', 'refunds']],
      ['a1_b2', ['a1_b2']],
      ['Invoice PurchaseOrder', ['Invoice', 'PurchaseOrder']],
      ['shiftTypes, Legal_Notes', ['shiftTypes', 'Legal_Notes']],
      ['Sites__Buildings__FloorPlans', ['Sites__Buildings__FloorPlans']],
      ['orders Orders ORDERS', ['orders', 'Orders', 'ORDERS']],
      [`T${'a'.repeat(127)}`, [`T${'a'.repeat(127)}`]],
    ])('reads %j as written', (args, tables) => {
      const result = parseTableList(args);

      expect(result).toEqual({ ok: true, tables });
    });
  });

  describe('when some names are wrong', () => {
    it.each<[string, string, TableListResult]>([
      [
        'a hyphenated name',
        'Order-Items',
        { ok: false, message: `\`Order-Items\` is not a valid table name (use \`Order_Items\`). ${RULE}` },
      ],
      [
        'a name with a semicolon',
        'orders;',
        { ok: false, message: `\`orders;\` is not a valid table name. ${RULE}` },
      ],
      ['a mention', '@alice', { ok: false, message: `\`@alice\` is not a valid table name. ${RULE}` }],
      ['a path', '../../etc', { ok: false, message: `\`../../etc\` is not a valid table name. ${RULE}` }],
      ['a Windows path', 'a\\b', { ok: false, message: `\`a\\b\` is not a valid table name. ${RULE}` }],
      ['a dotted name', '.env', { ok: false, message: `\`.env\` is not a valid table name. ${RULE}` }],
      ['a pipe', 'a|b', { ok: false, message: `\`a|b\` is not a valid table name. ${RULE}` }],
      ['a quote', '"Leads"', { ok: false, message: `\`"Leads"\` is not a valid table name. ${RULE}` }],
      [
        'a Cyrillic look-alike',
        'P\u0430tient',
        { ok: false, message: `\`P\u0430tient\` is not a valid table name. ${RULE}` },
      ],
      [
        'invisible characters',
        'Le\u200Bads \u202Eabc \u0000x',
        {
          ok: false,
          message: `Not valid table names: \`Le\uFFFDads\`, \`\uFFFDabc\`, \`\uFFFDx\`. ${RULE}`,
        },
      ],
      [
        'a very long name',
        'X'.repeat(129),
        { ok: false, message: `\`${'X'.repeat(40)}…\` is not a valid table name. ${RULE}` },
      ],
      [
        'seven bad names',
        'A-1 B-1 C-1 D-1 E-1 F-1 G-1',
        {
          ok: false,
          message: `Not valid table names: \`A-1\` (use \`A_1\`), \`B-1\` (use \`B_1\`), \`C-1\` (use \`C_1\`), \`D-1\` (use \`D_1\`), \`E-1\` (use \`E_1\`) and 2 more. ${RULE}`,
        },
      ],
      ['two repeated names', 'a b a b c', { ok: false, message: '`a`, `b` are listed more than once.' }],
      [
        'a name repeated exactly among other spellings',
        'Leads leads Leads',
        { ok: false, message: '`Leads` is listed more than once.' },
      ],
    ])('refuses %s', (_label, args, expected) => {
      const result = parseTableList(args);

      expect(result).toEqual(expected);
    });
  });
});

describe('describeInvalidTableNames', () => {
  it('says nothing when every name is valid', () => {
    expect(describeInvalidTableNames(['Leads', 'leads', 'userGroups'])).toBeUndefined();
  });

  it('names only the invalid ones', () => {
    const message = describeInvalidTableNames(['Leads', 'Legal-Notes', 'userGroups']);

    expect(message).toBe(`\`Legal-Notes\` is not a valid table name (use \`Legal_Notes\`). ${RULE}`);
  });
});
