import { z } from 'zod';

/** A source name as the issue form and the target repository accept it: `^[a-z][a-z0-9_]{1,39}$`. */
export const SourceName = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);
export type SourceName = z.infer<typeof SourceName>;

/** The longest {@link TableName}, in characters. */
export const TABLE_NAME_MAX = 128;

/**
 * A table name as a connector's `list_tables()` returns it: an ASCII letter, then ASCII letters of either
 * case, digits or `_`, at most {@link TABLE_NAME_MAX} characters (`^[A-Za-z][A-Za-z0-9_]{0,127}$`).
 *
 * The target repository's connectors spell tables the way their APIs do: `contacts` and `leaveTypes`, but
 * also `Patient`, `Legal_Tags`, `CandidateBackground_Certificates` and OData's contained collections such
 * as `Instances__Assets__AssetDocuments`; none uses another character, and the longest today has 44
 * characters. 128 is OData's limit for one identifier, with room for a path of them.
 *
 * Names are case-sensitive (`Leads` and `leads` are two tables) and compared exactly; never lower-case
 * one. The allow-list keeps a name inert wherever it goes: a file name (`corpus/<table>.json`), a regular
 * expression, a markdown code span or a command argument. There is no `/`, `\`, `.`, `-`, whitespace,
 * quote, backtick, pipe, comma or non-ASCII lookalike.
 */
export const TableName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/);
export type TableName = z.infer<typeof TableName>;

/** {@link TableName}'s rule in words, for replies to a requester (one sentence, no trailing hint). */
export const TABLE_NAME_RULE =
  "A table name is spelled as the connector's `list_tables()` returns it: up to 128 characters, an ASCII letter first, then letters of either case, digits or `_`, e.g. `contacts`, `Leads`, `userGroups` or `Legal_Tags`.";

/** What a "New connector" issue asks for, once parsed and validated. */
export const ConnectorRequest = z.object({
  /** Source name; becomes the package, branch and path component. */
  source: SourceName,
  /** API documentation links given by the requester (http/https only), deduplicated, in order. */
  docsUrls: z.array(z.url({ protocol: /^https?$/ })).max(20),
  /** Tables of interest, deduplicated, in order; empty means "research chooses". */
  tables: z.array(TableName).max(100),
  /** Free-text notes, untrusted: sanitised before they reach a prompt. */
  notes: z.string().max(20_000),
});
export type ConnectorRequest = z.infer<typeof ConnectorRequest>;

/** One problem with an issue body, phrased so the requester can fix it. */
export interface RequestFieldError {
  /** The form field's label as shown on the issue, e.g. `Source name`; `Issue body` for whole-body problems. */
  field: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** Result of parsing an issue body. */
export type ParseRequestResult =
  | { ok: true; request: ConnectorRequest }
  | { ok: false; errors: RequestFieldError[] };
