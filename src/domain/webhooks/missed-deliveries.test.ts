import { describe, expect, it } from 'vitest';
import type { DeliveryAttempt } from './delivery-attempt.js';
import { missedDeliveries } from './missed-deliveries.js';

let nextId = 1;
function attempt(guid: string, statusCode: number, minute: number, redelivery = false): DeliveryAttempt {
  nextId += 1;
  return {
    id: nextId,
    guid,
    deliveredAt: new Date(Date.UTC(2026, 11, 3, 12, minute)),
    statusCode,
    redelivery,
    event: 'issue_comment',
  };
}

const LIMITS = { maxRedeliveriesPerEvent: 3, maxPerSweep: 10 };

describe('missedDeliveries', () => {
  it('redelivers each event no attempt acknowledged, by its newest attempt, oldest event first', () => {
    const lostEarly = attempt('a', 0, 1);
    const lostLate = attempt('b', 502, 5);
    const retriedLost = attempt('c', 0, 3, true);

    const { redeliver, givenUp } = missedDeliveries(
      [
        attempt('c', 500, 2),
        lostLate,
        retriedLost,
        lostEarly,
        attempt('ok', 200, 4),
        attempt('taken', 202, 6),
      ],
      LIMITS,
    );

    expect(redeliver).toEqual([lostEarly, retriedLost, lostLate]);
    expect(givenUp).toEqual([]);
  });

  it('never sends again what the bot refused on purpose (a 4xx: bad signature, too large)', () => {
    const { redeliver } = missedDeliveries([attempt('bad', 400, 1), attempt('big', 413, 2)], LIMITS);

    expect(redeliver).toEqual([]);
  });

  it('never sends again an event one attempt acknowledged, even after failed ones', () => {
    const { redeliver } = missedDeliveries([attempt('a', 0, 1), attempt('a', 200, 2, true)], LIMITS);

    expect(redeliver).toEqual([]);
  });

  it('gives up on an event after the redelivery limit, and caps one sweep', () => {
    const stubborn = [attempt('s', 0, 1), ...[2, 3, 4].map((minute) => attempt('s', 500, minute, true))];
    const many = Array.from({ length: 15 }, (_, index) => attempt(`m${index}`, 0, 10 + index));

    const { redeliver, givenUp } = missedDeliveries([...stubborn, ...many], LIMITS);

    expect(givenUp).toEqual(['s']);
    expect(redeliver.map((item) => item.guid)).toEqual(many.slice(0, 10).map((item) => item.guid));
  });
});
