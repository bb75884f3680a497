import { REQUEST_FIELD_LABELS } from '../../domain/intake/parse-connector-request.js';

/** What `run` was asked to build, as typed on the command line. */
export interface LocalRequest {
  source: string;
  docsUrls: readonly string[];
  /** As typed: comma- or newline-separated names. */
  tables: string;
  notes: string;
}

const NO_RESPONSE = '_No response_';

/**
 * The body GitHub renders for the "New connector" issue form with these answers, so the request is
 * parsed (and every problem reported) exactly as an issue would be: one parser, one set of messages.
 */
export function buildIssueBody(request: LocalRequest): string {
  const field = (label: string, value: string) =>
    `### ${label}\n\n${value.trim() === '' ? NO_RESPONSE : value.trim()}\n`;
  return [
    field(REQUEST_FIELD_LABELS.source, request.source),
    field(REQUEST_FIELD_LABELS.docsUrls, request.docsUrls.join('\n')),
    field(REQUEST_FIELD_LABELS.tables, request.tables),
    field(REQUEST_FIELD_LABELS.notes, request.notes),
  ].join('\n');
}
