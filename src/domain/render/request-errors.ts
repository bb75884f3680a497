import type { RequestFieldError } from '../intake/schema.js';
import { escapeHtml } from './format.js';
import { renderMarker } from './markers.js';

/**
 * The one comment listing what is wrong with a connector request's issue body. Editing the issue
 * re-parses it; the comment is edited, then removed once the body parses. Field names and messages
 * come from the parser, and are escaped anyway since they may quote what the requester typed.
 */
export function renderRequestErrors(errors: readonly RequestFieldError[]): string {
  return [
    renderMarker('request-errors'),
    'I could not read this connector request:',
    '',
    ...errors.map((error) => `- **${escapeHtml(error.field)}**: ${escapeHtml(error.message)}`),
    '',
    'Edit the issue to fix it; I will read it again.',
  ].join('\n');
}
