import { CI_GATES, type CiGate, type GateOutcome } from '../../domain/ci/results-artifact.js';

/** Most characters of the excerpt (the `ci_completed` event's limit). */
export const MAX_EXCERPT_CHARS = 20_000;
/** A section smaller than this is not worth its heading. */
const MIN_SECTION_CHARS = 200;

interface Section {
  name: string;
  outcome: GateOutcome | 'unknown';
  text: string;
}

/**
 * Builds the log excerpt from the artifact's `logs/<gate>.txt` files: failed gates get the space
 * first, then the others, each keeping the end of its log (where errors are printed). The failed
 * gates come **last** in the text, because readers (the tester agent's context) keep its tail.
 * Colour codes and carriage-return progress lines are removed. At most {@link MAX_EXCERPT_CHARS}.
 */
export function buildLogExcerpt(
  logs: ReadonlyMap<string, string>,
  gates: Partial<Record<CiGate, GateOutcome>>,
  maxChars = MAX_EXCERPT_CHARS,
): string {
  const sections = [...logs]
    .map(([name, text]): Section => ({ name, outcome: outcomeOf(name, gates), text: cleanLog(text) }))
    .filter((section) => section.text !== '')
    .sort(
      (a, b) => priority(a) - priority(b) || order(a.name) - order(b.name) || a.name.localeCompare(b.name),
    );
  const failedCount = sections.filter((section) => section.outcome === 'failed').length;
  const kept: string[] = [];
  let room = maxChars;
  for (const [index, section] of sections.entries()) {
    const heading = `==> ${section.name} (${section.outcome}) <==\n`;
    // Failed gates share the whole excerpt; the others get what they leave.
    const sharers = index < failedCount ? failedCount - index : sections.length - index;
    const budget = Math.floor(room / sharers) - 1;
    if (budget < heading.length + MIN_SECTION_CHARS) continue;
    const body = tail(section.text, budget - heading.length - 1);
    const block = `${heading}${body}\n`;
    kept.push(block);
    room -= block.length + 1;
  }
  return kept.reverse().join('\n').slice(-maxChars).trimEnd();
}

function outcomeOf(name: string, gates: Partial<Record<CiGate, GateOutcome>>): Section['outcome'] {
  return (CI_GATES as readonly string[]).includes(name) ? (gates[name as CiGate] ?? 'unknown') : 'unknown';
}

function priority(section: Section): number {
  return section.outcome === 'failed' ? 0 : section.outcome === 'unknown' ? 1 : 2;
}

function order(name: string): number {
  const index = (CI_GATES as readonly string[]).indexOf(name);
  return index === -1 ? CI_GATES.length : index;
}

function cleanLog(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes removed here
      .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
      .replace(/\r+\n/g, '\n')
      .split('\n')
      .map((line) => line.slice(line.lastIndexOf('\r') + 1))
      .join('\n')
      .trim()
  );
}

function tail(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = text.slice(-(chars - 2));
  const lineStart = cut.indexOf('\n');
  return `…\n${lineStart >= 0 && lineStart < 200 ? cut.slice(lineStart + 1) : cut}`;
}
