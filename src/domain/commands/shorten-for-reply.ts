/** The most characters of one piece of user text a reply quotes back. */
const MAX_QUOTED_CHARS = 40;

/**
 * Shortens a piece of user text (a word, a table name) that a reply quotes back, so a hostile
 * comment cannot make the bot post a wall of its text. Cuts between code points, never inside one.
 * Callers quote the result in a code span.
 */
export function shortenForReply(text: string): string {
  const chars = Array.from(text);
  return chars.length > MAX_QUOTED_CHARS ? `${chars.slice(0, MAX_QUOTED_CHARS).join('')}…` : text;
}
