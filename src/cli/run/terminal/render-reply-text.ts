import { Lexer, type Token } from 'marked';
import { answerHint, isTerminalCommand } from '../parse-gate-answer.js';

/**
 * A reply for the terminal. Replies are the one comment the pipeline writes as finished GitHub
 * markdown (its sentences are the facts), so this reads it with marked's lexer rather than by
 * hand: the `@login` it answers is dropped, emphasis and code spans become plain text, a table
 * becomes one line per row, links keep their text, and a command in a code span is named as the
 * terminal answers it (`a (approve)`); commands the terminal has no answer for are marked
 * `(on GitHub)`.
 */
export function renderReplyText(body: string): string {
  const text = body.replace(/^@[A-Za-z0-9_.[\]-]+\s+/, '');
  const blocks = new Lexer({ gfm: true }).lex(text).flatMap(renderBlock);
  const [first = '', ...rest] = blocks.join('\n').trim().split('\n');
  return [`↳ ${first}`, ...rest.map((line) => (line === '' ? '' : `  ${line}`))].join('\n');
}

function renderBlock(token: Token): string[] {
  switch (token.type) {
    case 'paragraph':
    case 'heading':
    case 'text':
      return [renderInline(token.tokens ?? [{ type: 'text', raw: token.raw, text: token.text }]), ''];
    case 'list':
      return [
        ...token.items.map(
          (item: { tokens: Token[] }, index: number) =>
            `${token.ordered ? `${index + 1}.` : '-'} ${item.tokens.flatMap(renderBlock).filter(Boolean).join(' ')}`,
        ),
        '',
      ];
    case 'table':
      return [
        ...[token.header, ...token.rows].map((cells: { tokens: Token[] }[]) =>
          cells.map((cell) => renderInline(cell.tokens)).join(' · '),
        ),
        '',
      ];
    case 'code':
      return [
        ...String(token.text)
          .split('\n')
          .map((line) => `  ${line}`),
        '',
      ];
    case 'blockquote':
      return (token.tokens ?? []).flatMap(renderBlock);
    default:
      // Spaces, rules, HTML (the hidden markers) and definitions say nothing in a terminal.
      return [];
  }
}

function renderInline(tokens: readonly Token[]): string {
  return tokens.map(renderInlineToken).join('');
}

function renderInlineToken(token: Token): string {
  switch (token.type) {
    case 'text':
      return token.tokens === undefined ? decodeEntities(token.text) : renderInline(token.tokens);
    case 'escape':
      return token.text;
    case 'codespan':
      return renderCode(decodeEntities(token.text));
    case 'strong':
    case 'em':
    case 'del':
    case 'link':
      return renderInline(token.tokens ?? []);
    case 'br':
      return '\n';
    default:
      // Inline HTML and images say nothing in a terminal.
      return '';
  }
}

/** A code span: a command as the terminal answers it, anything else as it is. */
function renderCode(text: string): string {
  const match = /^\/([a-z-]+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (match === null) return text;
  const [, name = '', args = ''] = match;
  if (!isTerminalCommand(name)) return `${name}${args === '' ? '' : ` ${args}`} (on GitHub)`;
  if (name === 'revise' && args !== '') return `r ${args} (revise)`;
  return answerHint(name);
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
};

/** The entities the bot's escaping writes, back to their characters. */
function decodeEntities(text: string): string {
  return text.replace(/&(?:lt|gt|amp|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}
