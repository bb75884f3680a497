import { TABLE_NAME_RULE, TableName } from '../intake/schema.js';
import { shortenForReply } from './shorten-for-reply.js';

/** The most tables one `/add-tables` may ask for (the `Command` schema's limit). */
export const MAX_TABLES_PER_COMMAND = 50;

/** How many bad names a reply lists before saying "and N more". */
const MAX_LISTED = 5;

/** The tables of an `/add-tables`, or what is wrong with them, as a sentence for the author. */
export type TableListResult = { ok: true; tables: TableName[] } | { ok: false; message: string };

/**
 * Reads the argument of `/add-tables`: table names separated by commas and/or whitespace, with
 * backticks removed (`` `orders`, `refunds` `` works). Between 1 and 50 names, each a valid
 * {@link TableName} and none repeated. Names keep their case (`Leads` and `leads` are two tables, and
 * a repeat is an exact one), because a table name is the identifier the connector's `list_tables()`
 * returns.
 */
export function parseTableList(args: string): TableListResult {
  const names = splitTableNames(args);
  if (names.length === 0) {
    return refuse('`/add-tables` needs at least one table name, e.g. `/add-tables orders, refunds`.');
  }
  if (names.length > MAX_TABLES_PER_COMMAND) {
    return refuse(
      `\`/add-tables\` takes at most ${MAX_TABLES_PER_COMMAND} tables at a time; this lists ${names.length}.`,
    );
  }
  const invalid = describeInvalidTableNames(names);
  if (invalid !== undefined) return refuse(invalid);
  const repeated = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  if (repeated.length > 0) {
    const verb = repeated.length === 1 ? 'is' : 'are';
    return refuse(`${listNames(repeated, (name) => `\`${name}\``)} ${verb} listed more than once.`);
  }
  return { ok: true, tables: names };
}

/** The names in a command's table list: backticks removed, split on commas and whitespace, as written. */
export function splitTableNames(text: string): string[] {
  return text
    .replaceAll('`', '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/**
 * A sentence naming the names that are not a valid {@link TableName} (at most five, each shortened, with
 * a fix when `-` → `_` is one) and saying what is allowed; `undefined` when every name is valid.
 */
export function describeInvalidTableNames(names: readonly string[]): string | undefined {
  const invalid = names.filter((name) => !TableName.safeParse(name).success);
  const [only] = invalid;
  if (only === undefined) return undefined;
  if (invalid.length === 1) {
    return `${quoteName(only)} is not a valid table name${fixHint(only)}. ${TABLE_NAME_RULE}`;
  }
  const listed = listNames(invalid, (name) => `${quoteName(name)}${fixHint(name)}`);
  return `Not valid table names: ${listed}. ${TABLE_NAME_RULE}`;
}

/**
 * A name as a reply quotes it: shortened, in a code span, with each control, format (zero-width, bidi
 * override) or lone surrogate character shown as `�`, so a reply never carries invisible text.
 */
function quoteName(name: string): string {
  return `\`${shortenForReply(name).replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/gu, '\uFFFD')}\``;
}

function refuse(message: string): TableListResult {
  return { ok: false, message };
}

/** ` (use \`order_items\`)` when `-` → `_` makes the name valid, else nothing. Case is never changed. */
function fixHint(name: string): string {
  const fixed = name.replaceAll('-', '_');
  return TableName.safeParse(fixed).success ? ` (use \`${fixed}\`)` : '';
}

function listNames(names: readonly string[], describe: (name: string) => string): string {
  const shown = names.slice(0, MAX_LISTED).map(describe).join(', ');
  const more = names.length - MAX_LISTED;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
