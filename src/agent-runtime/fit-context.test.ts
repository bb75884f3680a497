import { describe, expect, it } from 'vitest';
import type { ModelMessage } from '../ports/model.js';
import { estimateTokens, fitHistory } from './fit-context.js';

const LIMITS = { windowTokens: 20_000, maxOutputTokens: 4_000, fixedTokens: 1_000 };

/** The context, then `turns` read_file calls each answered with `size` characters. */
function history(turns: number, size = 6_000): ModelMessage[] {
  const messages: ModelMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'c'.repeat(3_000) }] }];
  for (let turn = 1; turn <= turns; turn += 1) {
    messages.push(
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: `t${turn}`, name: 'read_file', input: { path: `f${turn}.py` } }],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: `t${turn}`, content: String(turn).repeat(size) }],
      },
    );
  }
  return messages;
}

function total(messages: ModelMessage[]): number {
  return LIMITS.fixedTokens + estimateTokens({ system: [], tools: [], messages });
}

describe('fitHistory', () => {
  it('leaves a history under the high-water mark exactly as it was', () => {
    const messages = history(3);

    const fitted = fitHistory(messages, LIMITS);

    expect(fitted.cleared).toBe(0);
    expect(fitted.messages).toEqual(messages);
  });

  it('clears the oldest tool results down to the low-water mark, never the context or the newest turns', () => {
    const messages = history(8);
    const before = structuredClone(messages);

    const fitted = fitHistory(messages, LIMITS);

    expect(total(messages)).toBeGreaterThan(16_000 * 0.85);
    expect(total(fitted.messages)).toBeLessThanOrEqual(16_000 * 0.55);
    expect(fitted.cleared).toBeGreaterThan(1);
    expect(fitted.messages[0]).toEqual(messages[0]);
    expect(fitted.messages.slice(-4)).toEqual(messages.slice(-4));
    expect(fitted.messages[2]?.content[0]).toEqual({
      type: 'tool_result',
      tool_use_id: 't1',
      content:
        '[tool result of read_file({"path":"f1.py"}) cleared to fit the context window; call the tool again if you need it]',
    });
    expect(messages).toEqual(before);
  });

  it('keeps the newest two turns whole even when the low-water mark is out of reach', () => {
    const messages = history(3, 20_000);

    const fitted = fitHistory(messages, LIMITS);

    expect(fitted.cleared).toBe(1);
    expect(fitted.messages.slice(-4)).toEqual(messages.slice(-4));
  });

  it('then clears long tool inputs (files written), naming their size', () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'context' }] },
      ...Array.from({ length: 6 }, (_, turn): ModelMessage[] => [
        {
          role: 'assistant',
          content: [
            {
              type: 'tool_use',
              id: `w${turn}`,
              name: 'write_file',
              input: { path: 'a.py', content: 'x'.repeat(9_000) },
            },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: `w${turn}`, content: 'Wrote a.py.' }] },
      ]).flat(),
    ];

    const fitted = fitHistory(messages, LIMITS);

    expect(fitted.messages[1]?.content[0]).toMatchObject({
      input: {
        path: 'a.py',
        content: '[9000 characters cleared to fit the context window; read the file for its current text]',
      },
    });
    expect(total(fitted.messages)).toBeLessThanOrEqual(16_000 * 0.55);
  });

  it('with force, trims even under the high-water mark, keeping only the newest turn whole', () => {
    const messages = history(3);

    const fitted = fitHistory(messages, LIMITS, true);

    expect(fitted.cleared).toBe(2);
    expect(fitted.messages.slice(-2)).toEqual(messages.slice(-2));
    expect(total(fitted.messages)).toBeLessThan(total(messages) / 2 + 200);
  });
});
