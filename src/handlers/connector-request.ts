import type { IssuePayload } from './payloads.js';

const REQUEST_LABEL = 'lakeflow-connector';
const FORM_MARKER = /^###\s+Source name\s*$/im;

/** True for issues the bot should read: the form's label, or a body written by the form. */
export function isConnectorRequest(payload: {
  issue: Pick<IssuePayload['issue'], 'labels' | 'pull_request'> & { body?: string | null };
}): boolean {
  if (payload.issue.pull_request !== undefined) return false;
  return (
    payload.issue.labels.some((label) => label.name === REQUEST_LABEL) ||
    FORM_MARKER.test(payload.issue.body ?? '')
  );
}
