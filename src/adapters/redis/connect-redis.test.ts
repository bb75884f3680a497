import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { logRedisErrors, redactRedisUrl } from './connect-redis.js';

/** A logger that keeps what it is told. */
function recordingLog() {
  const lines: Array<{ details: Record<string, unknown>; message: string }> = [];
  const log = {
    error: (details: Record<string, unknown>, message: string) => lines.push({ details, message }),
  };
  return { lines, log: log as never };
}

describe('logRedisErrors', () => {
  it('logs a lost connection once per window, then says how many errors it left out', () => {
    const client = new EventEmitter();
    const { lines, log } = recordingLog();
    let now = 0;
    logRedisErrors(client, log, 'redis', () => now, 10_000);

    for (let second = 0; second < 25; second += 1) {
      now = second * 1_000;
      client.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    }

    expect(lines.map((line) => line.details.skipped)).toEqual([0, 9, 9]);
    expect(lines[0]).toEqual({
      details: { component: 'redis', err: { message: 'connect ECONNREFUSED 127.0.0.1:6379' }, skipped: 0 },
      message: 'Redis connection error',
    });
  });
});

describe('redactRedisUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactRedisUrl('rediss://app:s3cret@redis.example:6380/0')).toBe(
      'rediss://app:***@redis.example:6380/0',
    );
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactRedisUrl('not a url')).toBe('an unparsable URL');
  });
});
