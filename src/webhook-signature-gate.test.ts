import { describe, expect, it } from 'vitest';
import { rateLimitedWarn } from './webhook-signature-gate.js';

describe('rateLimitedWarn', () => {
  it('prints one line per interval and counts the left-out ones on the next line printed', () => {
    const lines: Array<{ fields: Record<string, unknown>; message: string }> = [];
    let now = 0;
    const log = {
      warn: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }),
    };
    const warn = rateLimitedWarn(log as never, 60_000, () => now);

    for (let index = 0; index < 55; index += 1) warn({ reason: 'bad_signature', deliveryId: `d-${index}` });
    now = 59_999;
    warn({ reason: 'missing_signature', deliveryId: 'd-55' });
    now = 60_000;
    warn({ reason: 'bad_signature', deliveryId: 'd-56' });

    expect(lines.map((line) => line.fields)).toEqual([
      { reason: 'bad_signature', deliveryId: 'd-0', suppressedSinceLastLine: 0, intervalSeconds: 60 },
      { reason: 'bad_signature', deliveryId: 'd-56', suppressedSinceLastLine: 55, intervalSeconds: 60 },
    ]);
  });
});
