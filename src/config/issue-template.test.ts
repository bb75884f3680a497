import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { parseConnectorRequest, REQUEST_FIELD_LABELS } from '../domain/intake/parse-connector-request.js';
import { DEFAULT_REPO_CONFIG } from './repo-config.js';

const TEMPLATE_URL = new URL('../../.github/ISSUE_TEMPLATE/new-connector.yml', import.meta.url);

/** The parts of GitHub's issue-form schema this test reads. */
const FormField = z.object({
  type: z.enum(['input', 'textarea']),
  id: z.string().regex(/^[\w-]+$/),
  attributes: z.object({ label: z.string(), description: z.string().optional() }),
  validations: z.object({ required: z.boolean() }).optional(),
});
const Markdown = z.strictObject({ type: z.literal('markdown'), attributes: z.object({ value: z.string() }) });
const IssueForm = z.object({
  name: z.string().min(1),
  description: z.string().min(1),
  title: z.string(),
  labels: z.array(z.string()),
  body: z.array(z.union([Markdown, FormField])),
});

const form = IssueForm.parse(parse(readFileSync(TEMPLATE_URL, 'utf8')));
const fields = form.body.filter((element) => element.type !== 'markdown');
const intro = form.body
  .flatMap((element) => (element.type === 'markdown' ? [element.attributes.value] : []))
  .join('\n');

/** The issue body GitHub writes for a submitted form: `### <label>`, a blank line, the answer or `_No response_`. */
function renderIssueBody(answers: Record<string, string>): string {
  return fields
    .map(({ attributes: { label } }) => `### ${label}\n\n${answers[label]?.trim() || '_No response_'}`)
    .join('\n\n');
}

describe('the New connector issue form', () => {
  it('has the fields the request parser reads, in order', () => {
    expect(fields.map((field) => field.attributes.label)).toEqual(Object.values(REQUEST_FIELD_LABELS));
  });

  it('is titled, labelled for the bot and named as the README says', () => {
    expect(form).toMatchObject({ name: 'New connector', title: '[connector]: ' });
    expect(form.labels).toEqual([DEFAULT_REPO_CONFIG.labels.request]);
    expect(form.labels).toEqual(['lakeflow-connector']);
  });

  it('requires the source name, as a one-line input, and nothing else', () => {
    const required = fields.filter((field) => field.validations?.required === true);

    expect(required.map((field) => [field.type, field.attributes.label])).toEqual([
      ['input', REQUEST_FIELD_LABELS.source],
    ]);
    expect(fields[0]?.attributes.description).toContain('^[a-z][a-z0-9_]{1,39}$');
  });

  it('describes table names as the request parser reads them, not as lower snake case', () => {
    const tables = fields.find((field) => field.attributes.label === REQUEST_FIELD_LABELS.tables);

    expect(tables?.attributes.description).toContain('letters of either case, digits and `_`');
    expect(tables?.attributes.description).toContain('up to 128');
    expect(tables?.attributes.description).not.toMatch(/snake case/i);
  });

  it('has unique field ids and labels', () => {
    expect(new Set(fields.map((field) => field.id)).size).toBe(fields.length);
    expect(new Set(fields.map((field) => field.attributes.label)).size).toBe(fields.length);
  });

  it('warns against posting credentials and says nothing is spent before approval', () => {
    expect(intro).toMatch(/never post credentials/i);
    expect(intro).toContain('`lakeflow-live` environment');
    expect(intro).toMatch(/nothing is spent\*\* until a maintainer/i);
  });

  it.each([
    [
      'every field filled',
      {
        [REQUEST_FIELD_LABELS.source]: 'zendesk_support',
        [REQUEST_FIELD_LABELS.docsUrls]:
          'https://developer.zendesk.com/api-reference/\nhttps://example.com/auth',
        [REQUEST_FIELD_LABELS.tables]: 'tickets, users\norganizations',
        [REQUEST_FIELD_LABELS.notes]: 'Cursor pagination; incremental on updated_at.',
      },
      {
        source: 'zendesk_support',
        docsUrls: ['https://developer.zendesk.com/api-reference/', 'https://example.com/auth'],
        tables: ['tickets', 'users', 'organizations'],
        notes: 'Cursor pagination; incremental on updated_at.',
      },
    ],
    [
      'tables spelled as the API names them',
      {
        [REQUEST_FIELD_LABELS.source]: 'acme_hr',
        [REQUEST_FIELD_LABELS.tables]: 'Employee, leaveTypes\nLegal_Notes',
      },
      { source: 'acme_hr', docsUrls: [], tables: ['Employee', 'leaveTypes', 'Legal_Notes'], notes: '' },
    ],
    [
      'only the required field',
      { [REQUEST_FIELD_LABELS.source]: 'acme_crm' },
      { source: 'acme_crm', docsUrls: [], tables: [], notes: '' },
    ],
  ])('renders a body the request parser accepts: %s', (_name, answers, expected) => {
    expect(parseConnectorRequest(renderIssueBody(answers))).toEqual({ ok: true, request: expected });
  });

  it('renders a body the request parser refuses, naming the field, when the source name is missing', () => {
    const result = parseConnectorRequest(renderIssueBody({}));

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual([REQUEST_FIELD_LABELS.source]);
  });
});
