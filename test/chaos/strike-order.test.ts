import { describe, expect, it } from 'vitest';
import { groupStrikes, pickStrike } from './strike-order.js';

interface Point {
  name: string;
  kind: string;
  immediate?: boolean;
}
const matches = (point: Point, event: string) => point.kind === event;

describe('strike order', () => {
  const points: Point[] = [
    { name: 'pull', kind: 'pull' },
    { name: 'model', kind: 'model' },
    { name: 'again1', kind: 'model', immediate: true },
    { name: 'again2', kind: 'model', immediate: true },
    { name: 'comment', kind: 'comment' },
  ];

  it('lets a later point strike while an earlier one waits for its event', () => {
    const state = { chain: [] as Point[], pending: groupStrikes(points) };
    expect(pickStrike(state, 'comment', matches)?.name).toBe('comment');
    expect(state.pending.map((group) => group.leader.name)).toEqual(['pull', 'model']);
    expect(pickStrike(state, 'pull', matches)?.name).toBe('pull');
  });

  it('strikes the immediate followers next and nothing else until they are done', () => {
    const state = { chain: [] as Point[], pending: groupStrikes(points) };
    expect(pickStrike(state, 'model', matches)?.name).toBe('model');
    expect(pickStrike(state, 'comment', matches)).toBeUndefined();
    expect(pickStrike(state, 'model', matches)?.name).toBe('again1');
    expect(pickStrike(state, 'model', matches)?.name).toBe('again2');
    expect(pickStrike(state, 'model', matches)).toBeUndefined();
    expect(pickStrike(state, 'comment', matches)?.name).toBe('comment');
  });

  it('takes the first pending group whose leader matches', () => {
    const twice: Point[] = [
      { name: 'first', kind: 'x' },
      { name: 'second', kind: 'x' },
    ];
    const state = { chain: [] as Point[], pending: groupStrikes(twice) };
    expect(pickStrike(state, 'x', matches)?.name).toBe('first');
    expect(pickStrike(state, 'x', matches)?.name).toBe('second');
    expect(pickStrike(state, 'x', matches)).toBeUndefined();
  });
});
