import { COMMAND_NAMES } from './schema.js';

/**
 * The word that may precede any command (`/lakeflow approve` means `/approve`), so the bot's
 * commands stay apart from other bots' (Prow's `/approve`, `/cancel`, `/help`). Matched
 * case-insensitively; written lower-case.
 */
export const COMMAND_PREFIX = 'lakeflow';

const FENCE_OPENING = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSING = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const CODE_SPAN = /`([^`\n]+)`/g;
const MENTION = new RegExp(`^/(?:${COMMAND_NAMES.join('|')})(?=$|\\s)`);

/**
 * `text` with every inline-code mention of a command written in the prefixed form: `` `/approve` ``
 * becomes `` `/lakeflow approve` ``, `` `/revise <text>` `` becomes `` `/lakeflow revise <text>` ``.
 * Only a code span that starts with `/` and a command name, followed by its end or a space, is
 * rewritten; paths (`` `/usr/bin` ``), URLs, longer words (`` `/approved` ``), prose and fenced
 * code blocks are left as they are. Idempotent: a prefixed mention is never prefixed again.
 */
export function prefixCommandMentions(text: string): string {
  let fence: string | null = null;
  return text
    .split('\n')
    .map((line) => {
      if (fence !== null) {
        const closing = FENCE_CLOSING.exec(line)?.[1];
        if (closing !== undefined && closing.charAt(0) === fence.charAt(0) && closing.length >= fence.length)
          fence = null;
        return line;
      }
      fence = fenceOpening(line);
      if (fence !== null) return line;
      return line.replace(CODE_SPAN, (span, code: string) =>
        MENTION.test(code) ? `\`/${COMMAND_PREFIX} ${code.slice(1)}\`` : span,
      );
    })
    .join('\n');
}

/** The fence a line opens (```` ``` ```` or `~~~`), or `null`; a backtick line with a later backtick is inline code. */
function fenceOpening(line: string): string | null {
  const match = FENCE_OPENING.exec(line);
  const fence = match?.[1];
  if (fence === undefined) return null;
  return fence.startsWith('`') && (match?.[2] ?? '').includes('`') ? null : fence;
}

/** How a command is written: `/approve`, or `/lakeflow approve` when `prefixed`. */
export function spellCommand(name: string, prefixed: boolean): string {
  return prefixed ? `/${COMMAND_PREFIX} ${name}` : `/${name}`;
}
