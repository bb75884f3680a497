import { TableName } from '../intake/schema.js';
import { shortenForReply } from './shorten-for-reply.js';

/** The most tables one `/add-tables` may ask for (the `Command` schema's limit). */
export const MAX_TABLES_PER_COMMAND = 50;

/** How many bad names a reply lists before saying "and N more". */
const MAX_LISTED = 5;

const NAMING_RULE =
  'Table names are lower snake case: a letter, then letters, digits or `_`, at most 63 characters.';

/** The tables of an `/add-tables`, or what is wrong with them, as a sentence for the author. */
export type TableListResult = { ok: true; tables: TableName[] } | { ok: false; message: string };

/**
 * Reads the argument of `/add-tables`: table names separated by commas and/or whitespace, with
 * backticks removed (`` `orders`, `refunds` `` works). Between 1 and 50 names, each a valid
 * {@link TableName} and none repeated. Names are not lower-cased: `Orders` is refused with a hint
 * to write `orders`, because a table name is an identifier the connector will use as written.
 */
export function parseTableList(args: string): TableListResult {
  const names = args
    .replaceAll('`', '')
    .split(/[\s,]+/)
    .filter(Boolean);
  if (names.length === 0) {
    return refuse('`/add-tables` needs at least one table name, e.g. `/add-tables orders, refunds`.');
  }
  if (names.length > MAX_TABLES_PER_COMMAND) {
    return refuse(
      `\`/add-tables\` takes at most ${MAX_TABLES_PER_COMMAND} tables at a time; this lists ${names.length}.`,
    );
  }
  const invalid = names.filter((name) => !TableName.safeParse(name).success);
  if (invalid.length > 0) return refuse(invalidNamesMessage(invalid));
  const repeated = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  if (repeated.length > 0) {
    const verb = repeated.length === 1 ? 'is' : 'are';
    return refuse(`${listNames(repeated, (name) => `\`${name}\``)} ${verb} listed more than once.`);
  }
  return { ok: true, tables: names };
}

function refuse(message: string): TableListResult {
  return { ok: false, message };
}

function invalidNamesMessage(invalid: readonly string[]): string {
  const [only] = invalid;
  if (invalid.length === 1 && only !== undefined) {
    return `\`${shortenForReply(only)}\` is not a valid table name${fixHint(only)}. ${NAMING_RULE}`;
  }
  const listed = listNames(invalid, (name) => `\`${shortenForReply(name)}\`${fixHint(name)}`);
  return `Not valid table names: ${listed}. ${NAMING_RULE}`;
}

/** ` (use \`orders\`)` when lower-casing and `-` → `_` make the name valid, else nothing. */
function fixHint(name: string): string {
  const fixed = name.toLowerCase().replaceAll('-', '_');
  return TableName.safeParse(fixed).success ? ` (use \`${fixed}\`)` : '';
}

function listNames(names: readonly string[], describe: (name: string) => string): string {
  const shown = names.slice(0, MAX_LISTED).map(describe).join(', ');
  const more = names.length - MAX_LISTED;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
