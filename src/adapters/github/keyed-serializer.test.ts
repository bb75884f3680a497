import { describe, expect, it } from 'vitest';
import { createKeyedSerializer } from './keyed-serializer.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('createKeyedSerializer', () => {
  it('runs tasks of one key one after another, and other keys beside them', async () => {
    const serializer = createKeyedSerializer();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
      return name;
    };

    const results = await Promise.all([
      serializer.run('a', task('a1')),
      serializer.run('a', task('a2')),
      serializer.run('b', task('b1')),
    ]);

    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(events.indexOf('a2 start')).toBeGreaterThan(events.indexOf('a1 end'));
    expect(events.indexOf('b1 start')).toBeLessThan(events.indexOf('a1 end'));
  });

  it('gives a failure to its own caller and still runs the next task', async () => {
    const serializer = createKeyedSerializer();
    const failing = serializer.run('a', async () => {
      throw new Error('boom');
    });
    const next = serializer.run('a', async () => 'ran');

    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});
