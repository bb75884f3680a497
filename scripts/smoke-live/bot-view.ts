import type { Run } from '../../src/domain/pipeline/run.js';
import { hasMarker, markerKeyOf, parseStateMarker } from '../../src/domain/render/markers.js';
import type { IssueComment } from './github-schemas.js';

/**
 * Reading the bot's comments the way the bot finds them again: by author (its `<slug>[bot]` login,
 * so a marker copied into someone else's comment never counts) and by the hidden marker each one
 * starts with, never by wording.
 */

/** The issue a view belongs to. */
export interface IssueRef {
  owner: string;
  repo: string;
  issue: number;
}

/** The bot's comments among `comments`, oldest first. */
export function botComments(comments: readonly IssueComment[], botLogin: string): IssueComment[] {
  const bot = botLogin.toLowerCase();
  return comments.filter((comment) => comment.user?.login.toLowerCase() === bot);
}

/** The bot's comment marked `key`, if there is one. */
export function findMarked(
  comments: readonly IssueComment[],
  botLogin: string,
  key: string,
): IssueComment | undefined {
  return botComments(comments, botLogin).find((comment) => hasMarker(comment.body ?? '', key));
}

/**
 * The run in the state marker of the bot's status comment on `ref`'s issue, or `null` before there is
 * one (or when the marker belongs to another issue's run).
 */
export function runOf(comments: readonly IssueComment[], botLogin: string, ref: IssueRef): Run | null {
  const status = findMarked(comments, botLogin, 'status');
  const run = status === undefined ? null : parseStateMarker(status.body ?? '');
  if (run === null) return null;
  const same =
    run.ref.issue === ref.issue &&
    run.ref.owner.toLowerCase() === ref.owner.toLowerCase() &&
    run.ref.repo.toLowerCase() === ref.repo.toLowerCase();
  return same ? run : null;
}

/** The id of the newest comment (0 when there is none): what a command is written after. */
export function newestId(comments: readonly IssueComment[]): number {
  return comments.reduce((max, comment) => Math.max(max, comment.id), 0);
}

/** The newest of the bot's replies (markers `reply-…`) posted after comment `afterId`, if any. */
export function newestReply(
  comments: readonly IssueComment[],
  botLogin: string,
  afterId: number,
): IssueComment | undefined {
  return botComments(comments, botLogin)
    .filter((comment) => comment.id > afterId && (markerKeyOf(comment.body ?? '') ?? '').startsWith('reply-'))
    .at(-1);
}

/** A comment's text for one line of output: without its marker, whitespace collapsed, at most 200 characters. */
export function gist(comment: IssueComment): string {
  const body = (comment.body ?? '').replace(/^<!--[^\n]*-->\n?/, '');
  const text = body
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
