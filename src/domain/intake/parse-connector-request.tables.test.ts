import { describe, expect, it } from 'vitest';
import { parseConnectorRequest } from './parse-connector-request.js';
import type { ParseRequestResult } from './schema.js';

/** The body GitHub renders for the New connector form with only the source and the tables answered. */
function formBody(tables: string): string {
  return [
    '### Source name\n\nacme_crm',
    '### API documentation links\n\n_No response_',
    `### Tables of interest\n\n${tables}`,
    '### Notes\n\n_No response_',
  ].join('\n\n');
}

function errorsOf(result: ParseRequestResult): { field: string; message: string }[] {
  return result.ok ? [] : result.errors;
}

const TABLE_RULE =
  "A table name is spelled as the connector's `list_tables()` returns it: up to 128 characters, an ASCII letter first, then letters of either case, digits or `_`, e.g. `contacts`, `Leads`, `userGroups` or `Legal_Tags`. Separate tables with commas or new lines.";
const EMPTY_REQUEST = { source: 'acme_crm', docsUrls: [], tables: [], notes: '' };

describe('parseConnectorRequest', () => {
  describe('when the tables are listed correctly', () => {
    it.each([
      { name: 'one per line', tables: 'contacts\ndeals', expected: ['contacts', 'deals'] },
      { name: 'bullets and backticks', tables: '- `contacts`\n* deals ', expected: ['contacts', 'deals'] },
      {
        name: 'commas with stray spaces',
        tables: ' contacts ,deals,, companies_v2',
        expected: ['contacts', 'deals', 'companies_v2'],
      },
      { name: 'PascalCase names', tables: 'Invoice\nPurchaseOrder', expected: ['Invoice', 'PurchaseOrder'] },
      { name: 'camelCase names', tables: 'shiftTypes, teamMembers', expected: ['shiftTypes', 'teamMembers'] },
      {
        name: 'mixed-case snake names in a bulleted list',
        tables: '- `Legal_Notes`\n- EmployeeReview_Comments',
        expected: ['Legal_Notes', 'EmployeeReview_Comments'],
      },
      {
        name: 'an OData-style contained path',
        tables: 'Sites__Buildings__FloorPlans',
        expected: ['Sites__Buildings__FloorPlans'],
      },
      { name: 'names that differ only in case', tables: 'Leads, leads', expected: ['Leads', 'leads'] },
      { name: 'a 128-character name', tables: `T${'a'.repeat(127)}`, expected: [`T${'a'.repeat(127)}`] },
    ])('reads $name as written', ({ tables, expected }) => {
      const result = parseConnectorRequest(formBody(tables));

      expect(result).toEqual({ ok: true, request: { ...EMPTY_REQUEST, tables: expected } });
    });
  });

  describe('when tables are wrong', () => {
    it('says what is allowed when no simple fix exists', () => {
      const result = parseConnectorRequest(formBody('Legal Notes'));

      expect(errorsOf(result)).toEqual([
        {
          field: 'Tables of interest',
          message: `\`Legal Notes\` is not a valid table name: it has spaces. ${TABLE_RULE}`,
        },
      ]);
    });

    it('suggests `_` for `-` and keeps the case', () => {
      const result = parseConnectorRequest(formBody('Deal-Stages'));

      expect(errorsOf(result)).toEqual([
        {
          field: 'Tables of interest',
          message: '`Deal-Stages` is not a valid table name: it has hyphens. Use `Deal_Stages` instead.',
        },
      ]);
    });

    it('names each exact duplicate once', () => {
      const result = parseConnectorRequest(formBody('contacts, Deals\n- `contacts`\ncontacts, Deals, deals'));

      expect(errorsOf(result)).toEqual([
        { field: 'Tables of interest', message: '`contacts` is listed 3 times. List each table once.' },
        { field: 'Tables of interest', message: '`Deals` is listed 2 times. List each table once.' },
      ]);
    });

    it.each([
      { name: 'spaces', tables: 'contacts deals', fragment: `it has spaces. ${TABLE_RULE}` },
      { name: 'a leading digit', tables: '2fa_events', fragment: 'it starts with a digit.' },
      { name: 'a leading underscore', tables: '_Leads', fragment: 'it starts with `_`.' },
      { name: 'a leading dot', tables: '.Leads', fragment: 'it has punctuation other than `_`.' },
      { name: 'a leading hyphen', tables: '-rf', fragment: `it has hyphens. ${TABLE_RULE}` },
      { name: 'an accent', tables: 'société', fragment: 'non-ASCII character U+00E9' },
      { name: 'a Cyrillic look-alike', tables: 'P\u0430tient', fragment: 'non-ASCII character U+0430' },
      { name: 'full-width letters', tables: '\uFF2Ceads', fragment: 'non-ASCII character U+FF2C' },
      { name: 'the Kelvin sign', tables: '\u212Aeys', fragment: 'non-ASCII character U+212A' },
      { name: 'a zero-width joiner', tables: 'con\u200Dtacts', fragment: 'invisible character U+200D' },
      { name: 'a path traversal', tables: '../../etc/passwd', fragment: '`../../etc/passwd` is not a valid' },
      { name: 'a slash', tables: 'Instances/Assets', fragment: 'it has punctuation other than `_`' },
      { name: 'a backslash', tables: 'Instances\\Assets', fragment: 'it has punctuation other than `_`' },
      { name: 'a dot', tables: 'Leads.json', fragment: 'it has punctuation other than `_`' },
      { name: 'a pipe', tables: '| Leads | Deals |', fragment: '`| Leads | Deals |` is not a valid' },
      { name: 'quotes', tables: '"Leads"', fragment: 'it has punctuation other than `_`' },
      { name: 'a markdown link', tables: '[Leads](https://x.io)', fragment: 'punctuation other than `_`' },
      { name: 'an HTML tag', tables: '<img src=x>', fragment: 'it has spaces and has punctuation' },
      {
        name: 'SQL',
        tables: 'contacts; DROP TABLE users;--',
        fragment: '`contacts; DROP TABLE users;--` is not a valid table name',
      },
      { name: 'an @mention', tables: '@octocat', fragment: '`@octocat` is not a valid table name' },
      {
        name: '129 characters',
        tables: `T${'a'.repeat(128)}`,
        fragment: 'it is 129 characters long (at most 128).',
      },
    ])('rejects a name with $name', ({ tables, fragment }) => {
      const [error, ...rest] = errorsOf(parseConnectorRequest(formBody(tables)));

      expect(rest).toEqual([]);
      expect(error?.field).toBe('Tables of interest');
      expect(error?.message).toContain(fragment);
    });

    it('rejects more than 100 tables', () => {
      const tables = Array.from({ length: 101 }, (_, i) => `t${i}`).join('\n');

      const [error] = errorsOf(parseConnectorRequest(formBody(tables)));

      expect(error).toEqual({
        field: 'Tables of interest',
        message:
          '101 tables are listed, but at most 100 are accepted in one request. List the most important ones now; you can add more later with `/add-tables`.',
      });
    });

    it('shows ten bad names and counts the rest', () => {
      const tables = Array.from({ length: 25 }, (_, i) => `Bad.${i}`).join(',');

      const errors = errorsOf(parseConnectorRequest(formBody(tables)));

      expect(errors).toHaveLength(11);
      expect(errors[10]).toEqual({
        field: 'Tables of interest',
        message: '…and 15 more problems like these. Fix the ones above, then edit the issue.',
      });
    });
  });
});
