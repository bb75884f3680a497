import type { IssuePayload } from './payloads.js';

const FORM_MARKER = /^###\s+Source name\s*$/im;

type RequestIssue = Pick<IssuePayload['issue'], 'labels' | 'pull_request'> & { body?: string | null };

/**
 * How far the webhook alone tells whether an issue is a connector request, with no config read:
 * `'form'` (the issue form wrote its body: a request), `{ labels }` (labelled, not the form's: a
 * request if the config's request label is among them, which the events worker checks), or `null`
 * (a pull request, or an issue with neither: never a request).
 */
export function requestSignalOf(issue: RequestIssue): 'form' | { labels: string[] } | null {
  if (issue.pull_request !== undefined) return null;
  if (FORM_MARKER.test(issue.body ?? '')) return 'form';
  if (issue.labels.length === 0) return null;
  return { labels: issue.labels.slice(0, 100).map((label) => label.name.slice(0, 100)) };
}

/**
 * What a job carries for the worker's request-label check: a labelled issue's labels, or nothing
 * (the form wrote it, or it is not an issue the labels decide).
 */
export function requestLabelsField(signal: ReturnType<typeof requestSignalOf>): { requestLabels?: string[] } {
  return signal === null || signal === 'form' ? {} : { requestLabels: signal.labels };
}
