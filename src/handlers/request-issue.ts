import { DEFAULT_REPO_CONFIG } from '../config/repo-config.js';
import { type HandlerDeps, repoSettingsOf } from './handler-deps.js';
import { type IssuePayload, repoOf } from './payloads.js';

const FORM_MARKER = /^###\s+Source name\s*$/im;

type RequestIssue = Pick<IssuePayload['issue'], 'labels' | 'pull_request'> & { body?: string | null };

/**
 * True for an issue the bot reads as a connector request: it carries `requestLabel` (the repository
 * config's `labels.request`), or its body was written by the issue form. Pull requests never are.
 */
export function isRequestIssue(issue: RequestIssue, requestLabel: string): boolean {
  if (issue.pull_request !== undefined) return false;
  return issue.labels.some((label) => label.name === requestLabel) || FORM_MARKER.test(issue.body ?? '');
}

/**
 * {@link isRequestIssue} with the repository's configured request label, read (one config read) only
 * when the label can decide: a labelled issue whose body is not the form's. An unreadable config
 * gives the default label (`repoSettingsOf`).
 */
export async function isConnectorRequestOf(
  deps: HandlerDeps,
  payload: Pick<IssuePayload, 'repository' | 'installation'> & { issue: RequestIssue },
): Promise<boolean> {
  const { issue } = payload;
  if (issue.pull_request !== undefined) return false;
  if (FORM_MARKER.test(issue.body ?? '')) return true;
  if (issue.labels.length === 0) return false;
  const { labels } = await repoSettingsOf(deps, repoOf(payload));
  return isRequestIssue(issue, labels?.request ?? DEFAULT_REPO_CONFIG.labels.request);
}
