/** User-facing messages of the issue-form parser, in one place so the wording stays consistent. */

import { TABLE_NAME_MAX, TABLE_NAME_RULE } from './schema.js';

export const LIMITS = {
  docsUrls: 20,
  tables: 100,
  notes: 20_000,
  source: { min: 2, max: 40 },
  table: { min: 1, max: TABLE_NAME_MAX },
};

const EXAMPLE_URL = '`https://docs.example.com/api`';

/** How a token in the links field was classified. */
export type LinkKind = 'ok' | 'other-scheme' | 'no-scheme' | 'text' | 'invalid' | 'credentials';

/** Every message a requester can get, in one place so the wording stays consistent. */
export const MESSAGES = {
  emptyBody:
    'The issue body is empty. Open the issue with the "New connector" form, or edit it and add a `### Source name` section with a name such as `acme_crm`.',
  largeBody:
    'The issue body is larger than 64 KB (65,536 bytes), so it was not read. Shorten the notes or link to a document instead, then edit the issue.',
  ambiguous: (label: string, count: number) =>
    `The issue has ${count} "${label}" sections, so it is not clear which one to use. Edit the issue and keep exactly one \`### ${label}\` section.`,
  noSource:
    'The issue has no "Source name" section. Edit the issue and put the source name under a `### Source name` heading, e.g. `acme_crm`.',
  sourceRequired:
    'Source name is required. Edit the issue and enter the name of the source in lower snake case, e.g. `acme_crm`.',
  sourceLines: (count: number, quoted: string) =>
    `Source name must be one line, but it has ${count} lines: ${quoted}. Keep only the name, e.g. \`acme_crm\`.`,
  sourceRule:
    'A source name is 2–40 characters: a lowercase letter (a–z) first, then lowercase letters, digits or `_`, e.g. `acme_crm`.',
  tableRule: `${TABLE_NAME_RULE} Separate tables with commas or new lines.`,
  invalidName: (quoted: string, kind: 'source' | 'table', problems: string, fix: string) =>
    `${quoted} is not a valid ${kind} name: it ${problems}. ${fix}`,
  link: {
    'other-scheme': (quoted: string) =>
      `${quoted} is not an http(s) link. Only links starting with \`http://\` or \`https://\` are accepted, e.g. ${EXAMPLE_URL}.`,
    'no-scheme': (quoted: string, fixed: string) =>
      `${quoted} is missing \`https://\` at the start. Write the full link, e.g. ${fixed}.`,
    invalid: (quoted: string) =>
      `${quoted} is not a valid link. Copy the full address from your browser, e.g. ${EXAMPLE_URL}.`,
    credentials: () =>
      'A link carries a user name or password (the part before `@`). Credentials must never be posted in an issue: remove that part, edit the issue, and rotate the credential if it was real.',
    text: (quoted: string) =>
      `${quoted} is not a link. Put one link per line, each starting with \`https://\`, e.g. ${EXAMPLE_URL}.`,
  },
  tooManyLinks: (count: number) =>
    `${count} links are listed, but at most ${LIMITS.docsUrls} are accepted. Keep the most useful ones, such as the API reference and the authentication guide.`,
  duplicateTable: (quoted: string, count: number) =>
    `${quoted} is listed ${count} times. List each table once.`,
  tooManyTables: (count: number) =>
    `${count} tables are listed, but at most ${LIMITS.tables} are accepted in one request. List the most important ones now; you can add more later with \`/add-tables\`.`,
  longNotes: (count: string) =>
    `Notes are ${count} characters long, but at most 20,000 are accepted. Shorten them or link to a document instead.`,
  more: (count: number) => `…and ${count} more problems like these. Fix the ones above, then edit the issue.`,
} as const;
