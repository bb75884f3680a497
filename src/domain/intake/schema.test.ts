import { describe, expect, it } from 'vitest';
import { TABLE_NAME_MAX, TableName } from './schema.js';

describe('TableName', () => {
  describe('when the name is spelled as connectors spell tables', () => {
    // biome-ignore format: a compact table of names shaped like the target repository's
    it.each([
      'contacts', 'ticket_comments', 'v2_events', 'Invoice', 'PurchaseOrder', 'Legal_Notes',
      'Soil_and_Water', 'shiftTypes', 'teamMembers', 'EmployeeReview_Comments', 'HTTPLogs',
      'Sites__Buildings__FloorPlans', 'Orders2024', 'trailing_', 'A', 'z',
    ])('accepts %j', (name) => {
      expect(TableName.safeParse(name).success).toBe(true);
    });

    it(`accepts ${TABLE_NAME_MAX} characters`, () => {
      expect(TableName.safeParse(`T${'a'.repeat(TABLE_NAME_MAX - 1)}`).success).toBe(true);
    });
  });

  describe('when the name could act as a path, markup or another token', () => {
    // biome-ignore format: a compact table of hostile names
    it.each([
      '', ' ', '..', '.', '../Leads', 'Leads/..', '../../etc/passwd', '.hidden', '-rf', '--help',
      'a/b', '/Leads', 'a\\b', 'C:\\Leads', 'Leads.json', 'a-b', '_Leads', '__init__', '1st_table',
      ' Leads', 'Leads ', 'Le ads', 'Le\tads', 'Leads\n', '\nLeads', 'Leads\r', 'Leads\u00A0',
      '`Leads`', 'Le`ads', 'a|b', 'a,b', "Lead's", '"Leads"', '*Leads*', '[Leads](x)', '<b>', '@alice',
      '#1', '$(id)', '$HOME', 'a;b', 'a:b', '%2e%2e', 'a&b', 'a~b', 'a=b',
      'Leads\u0000', 'Le\u0007ads', 'Leads\u200B', '\u202ELeads', '\uFEFFLeads',
      'P\u0430tient', '\uFF2Ceads', '\u212Aeys', '\u0130tems', 'soci\u00E9t\u00E9', '\uFB01les', 'Leads\uD800',
    ])('refuses %j', (name) => {
      expect(TableName.safeParse(name).success).toBe(false);
    });

    it(`refuses more than ${TABLE_NAME_MAX} characters`, () => {
      expect(TableName.safeParse(`T${'a'.repeat(TABLE_NAME_MAX)}`).success).toBe(false);
    });
  });
});
