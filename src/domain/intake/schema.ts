import { z } from 'zod';

/** A source name as the issue form and the target repository accept it: `^[a-z][a-z0-9_]{1,39}$`. */
export const SourceName = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);
export type SourceName = z.infer<typeof SourceName>;

/** A table name a connector may expose: lower snake case, like the repository's existing connectors. */
export const TableName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);
export type TableName = z.infer<typeof TableName>;

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
