import { findSecrets } from '../domain/sanitize/secret-scan.js';
import { ToolError } from './tool-error.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Refuses content that is not text: NUL bytes, or characters that cannot be encoded as UTF-8. */
export function assertText(path: string, content: string): void {
  if (content.includes('\u0000')) {
    throw new ToolError(
      `Refused to write ${path}: the content contains NUL bytes; only text files can be written.`,
    );
  }
  if (LONE_SURROGATE.test(content)) {
    throw new ToolError(`Refused to write ${path}: the content is not valid UTF-8 text.`);
  }
}

/**
 * Refuses content with a credential `findSecrets` reports, unless the file already had as many of
 * that kind (a look-alike already committed must not block every edit of its file). The message
 * names the kind and line, never the value.
 */
export function assertNoNewSecrets(path: string, content: string, original: string | null): void {
  const before = new Map<string, number>();
  for (const finding of original === null ? [] : findSecrets(original)) {
    before.set(finding.kind, (before.get(finding.kind) ?? 0) + 1);
  }
  for (const finding of findSecrets(content)) {
    const left = before.get(finding.kind) ?? 0;
    if (left > 0) {
      before.set(finding.kind, left - 1);
      continue;
    }
    throw new ToolError(
      `Refused to write ${path}: line ${finding.line} holds what looks like a credential (${finding.kind}). ` +
        'Never commit credentials: read them from the connector options; in tests use stand-ins such as "replay-token".',
    );
  }
}

/** Lines `from`..`to` (1-based, inclusive) of `text`; a trailing newline does not start a line. */
export function sliceLines(path: string, text: string, range: { from: number; to: number }): string {
  const lines = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  if (
    !Number.isInteger(range.from) ||
    !Number.isInteger(range.to) ||
    range.from < 1 ||
    range.to < range.from
  ) {
    throw new ToolError(`Invalid line range ${range.from}-${range.to}: lines start at 1 and "to" >= "from".`);
  }
  if (range.from > lines.length) {
    throw new ToolError(`${path} has ${lines.length} lines; line ${range.from} does not exist.`);
  }
  return lines.slice(range.from - 1, range.to).join('\n');
}
