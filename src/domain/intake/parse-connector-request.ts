import {
  type IssueFormSection,
  isNoResponse,
  isSameLabel,
  parseIssueFormSections,
  quoteForMessage,
  splitLinkList,
  splitNameList,
  unwrapBackticks,
} from './issue-form-sections.js';
import { LIMITS, type LinkKind, MESSAGES } from './request-messages.js';
import {
  ConnectorRequest,
  type ParseRequestResult,
  type RequestFieldError,
  SourceName,
  TableName,
} from './schema.js';

/** The labels of `.github/ISSUE_TEMPLATE/new-connector.yml`, as GitHub renders them in the issue body. */
export const REQUEST_FIELD_LABELS = {
  source: 'Source name',
  docsUrls: 'API documentation links',
  tables: 'Tables of interest',
  notes: 'Notes',
} as const;

const BODY_FIELD = 'Issue body';
/** The largest issue body the bot reads, in UTF-8 bytes (GitHub caps issue bodies at 65,536 characters). */
export const MAX_REQUEST_BODY_BYTES = 65_536;
/** Limits repeated from the `ConnectorRequest` schema, so that each gets its own message. */
/** Item errors shown per field; the rest are counted, so a hostile body cannot flood the reply. */
const MAX_ITEM_ERRORS = 10;
const DocsUrl = ConnectorRequest.shape.docsUrls.element;
/** A field's value, or what is wrong with it (messages only: the caller adds the field label). */
interface Checked<T> {
  value: T;
  problems: string[];
}

type FieldText =
  | { kind: 'missing' }
  | { kind: 'ambiguous'; count: number }
  | { kind: 'present'; text: string };

/**
 * Parses and validates the body GitHub renders for the "New connector" issue form. Never throws: every
 * problem found (not only the first), including a non-string or oversized body, becomes a
 * {@link RequestFieldError} naming the form field, quoting the offending value and saying how to fix it.
 */
export function parseConnectorRequest(issueBody: string): ParseRequestResult {
  const bodyError = describeBodyProblem(issueBody);
  if (bodyError) return { ok: false, errors: [{ field: BODY_FIELD, message: bodyError }] };
  const sections = parseIssueFormSections(issueBody);
  const source = parseField(sections, 'source', parseSourceField, '');
  const docsUrls = parseField(sections, 'docsUrls', parseDocsField, []);
  const tables = parseField(sections, 'tables', parseTablesField, []);
  const notes = parseField(sections, 'notes', parseNotesField, '');
  const errors = [...source.errors, ...docsUrls.errors, ...tables.errors, ...notes.errors];
  if (errors.length > 0) return { ok: false, errors };
  return validateRequest({
    source: source.value,
    docsUrls: docsUrls.value,
    tables: tables.value,
    notes: notes.value,
  });
}

/**
 * True when `body` is over {@link MAX_REQUEST_BODY_BYTES}: such a body is refused, never read. Cheap
 * for any length (a string longer than the limit in characters is over it in bytes too).
 */
export function isRequestBodyTooLarge(body: string): boolean {
  if (body.length > MAX_REQUEST_BODY_BYTES) return true;
  return new TextEncoder().encode(body).length > MAX_REQUEST_BODY_BYTES;
}

function describeBodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'string' || body.trim() === '') return MESSAGES.emptyBody;
  return isRequestBodyTooLarge(body) ? MESSAGES.largeBody : undefined;
}

function parseField<T>(
  sections: IssueFormSection[],
  key: keyof typeof REQUEST_FIELD_LABELS,
  parse: (field: FieldText) => Checked<T>,
  empty: T,
): { value: T; errors: RequestFieldError[] } {
  const label = REQUEST_FIELD_LABELS[key];
  const field = readField(sections, label);
  const { value, problems } =
    field.kind === 'ambiguous'
      ? { value: empty, problems: [MESSAGES.ambiguous(label, field.count)] }
      : parse(field);
  return { value, errors: problems.map((message) => ({ field: label, message })) };
}

function readField(sections: IssueFormSection[], label: string): FieldText {
  const matches = sections.filter((section) => isSameLabel(section.label, label));
  const [match] = matches;
  if (!match) return { kind: 'missing' };
  if (matches.length > 1) return { kind: 'ambiguous', count: matches.length };
  return { kind: 'present', text: isNoResponse(match.value) ? '' : match.value };
}

function textOf(field: FieldText): string {
  return field.kind === 'present' ? field.text : '';
}

function parseSourceField(field: FieldText): Checked<string> {
  if (field.kind === 'missing') return { value: '', problems: [MESSAGES.noSource] };
  const text = textOf(field);
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length > 1) {
    return { value: '', problems: [MESSAGES.sourceLines(lines.length, quoteForMessage(text))] };
  }
  const name = unwrapBackticks(lines[0] ?? '');
  if (name === '') return { value: '', problems: [MESSAGES.sourceRequired] };
  const valid = SourceName.safeParse(name).success;
  return { value: valid ? name : '', problems: valid ? [] : [describeInvalidName(name, 'source')] };
}

function parseDocsField(field: FieldText): Checked<string[]> {
  const urls = new Set<string>();
  const problems: string[] = [];
  for (const tokens of splitLinkList(textOf(field))) {
    const links = tokens.map((token) => ({ token, kind: classifyLink(token) }));
    const isProse = links.every(({ kind }) => kind === 'text');
    const bad = isProse ? [{ token: tokens.join(' '), kind: 'text' as const }] : links;
    for (const { token, kind } of bad) {
      if (kind === 'ok') urls.add(token);
      else problems.push(MESSAGES.link[kind](quoteForMessage(token), quoteForMessage(`https://${token}`)));
    }
  }
  const tooMany = urls.size > LIMITS.docsUrls ? [MESSAGES.tooManyLinks(urls.size)] : [];
  return { value: [...urls], problems: [...tooMany, ...capProblems(problems)] };
}

function classifyLink(token: string): LinkKind {
  if (/^https?:\/\/[^/?#\s]*@/i.test(token)) return 'credentials';
  if (DocsUrl.safeParse(token).success) return 'ok';
  const scheme = /^([a-z][a-z0-9+.-]*):(?!\d)/i.exec(token)?.[1];
  if (scheme !== undefined) return /^https?$/i.test(scheme) ? 'invalid' : 'other-scheme';
  const looksLikeHost = /^[^\s/:]+\.[a-z]{2,}(?:[/:?#]|$)/i.test(token);
  return looksLikeHost && DocsUrl.safeParse(`https://${token}`).success ? 'no-scheme' : 'text';
}

function parseTablesField(field: FieldText): Checked<string[]> {
  const names = splitNameList(textOf(field));
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  const problems: string[] = [];
  for (const [name, count] of counts) {
    if (!TableName.safeParse(name).success) problems.push(describeInvalidName(name, 'table'));
    else if (count > 1) problems.push(MESSAGES.duplicateTable(quoteForMessage(name), count));
  }
  const tooMany = names.length > LIMITS.tables ? [MESSAGES.tooManyTables(names.length)] : [];
  return { value: [...counts.keys()], problems: [...tooMany, ...capProblems(problems)] };
}

function parseNotesField(field: FieldText): Checked<string> {
  const text = textOf(field);
  const length = new Intl.NumberFormat('en-US').format(text.length);
  return { value: text, problems: text.length > LIMITS.notes ? [MESSAGES.longNotes(length)] : [] };
}

/**
 * Says why `name` is invalid, and how to fix it. A source name is lower snake case, so lower-casing it
 * (and `-` or spaces → `_`) may fix it; a table name keeps its case, so only `-` → `_` is suggested.
 * Otherwise the message ends with the rule, which says what is allowed.
 */
function describeInvalidName(name: string, kind: 'source' | 'table'): string {
  const schema = kind === 'source' ? SourceName : TableName;
  const suggestion =
    kind === 'source' ? name.toLowerCase().replace(/[\s-]+/g, '_') : name.replace(/-+/g, '_');
  const rule = kind === 'source' ? MESSAGES.sourceRule : MESSAGES.tableRule;
  const fix = schema.safeParse(suggestion).success ? `Use \`${suggestion}\` instead.` : rule;
  const problems = joinWithAnd(describeNameProblems(name, kind));
  return MESSAGES.invalidName(quoteForMessage(name), kind, problems, fix);
}

function describeNameProblems(name: string, kind: 'source' | 'table'): string[] {
  const limits = LIMITS[kind];
  const chars = Array.from(name);
  const invisible = chars.find(isInvisible);
  const foreign = chars.find((char) => char > '~' && !isInvisible(char));
  const checks: [boolean, string][] = [
    [invisible !== undefined, `contains the invisible character U+${toCodePoint(invisible)}`],
    [foreign !== undefined, `contains the non-ASCII character U+${toCodePoint(foreign)}`],
    [kind === 'source' && /[A-Z]/.test(name), 'has uppercase letters'],
    [/\s/.test(name), 'has spaces'],
    [name.includes('-'), 'has hyphens'],
    [
      chars.some((char) => char >= '!' && char <= '~' && !/[\w-]/.test(char)),
      'has punctuation other than `_`',
    ],
    [/^[0-9]/.test(name), 'starts with a digit'],
    [name.startsWith('_'), 'starts with `_`'],
    [chars.length < limits.min, `is only ${chars.length} character long`],
    [chars.length > limits.max, `is ${chars.length} characters long (at most ${limits.max})`],
  ];
  const problems = checks.filter(([applies]) => applies).map(([, problem]) => problem);
  return problems.length > 0 ? problems : ['does not match the required pattern'];
}

function isInvisible(char: string): boolean {
  return /[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/u.test(char) && !/\s/.test(char);
}

function toCodePoint(char: string | undefined): string {
  return (char?.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

/** The final check against the schema; only a drift between the limits above and the schema can fail it. */
function validateRequest(candidate: ConnectorRequest): ParseRequestResult {
  const result = ConnectorRequest.safeParse(candidate);
  if (result.success) return { ok: true, request: result.data };
  const labelOf = (key: PropertyKey | undefined) =>
    Object.entries(REQUEST_FIELD_LABELS).find(([name]) => name === key)?.[1] ?? BODY_FIELD;
  const errors = result.error.issues.map((issue) => ({
    field: labelOf(issue.path[0]),
    message: issue.message,
  }));
  return { ok: false, errors };
}

function capProblems(problems: string[]): string[] {
  const hidden = problems.length - MAX_ITEM_ERRORS;
  return hidden > 0 ? [...problems.slice(0, MAX_ITEM_ERRORS), MESSAGES.more(hidden)] : problems;
}

function joinWithAnd(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
