import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { chooseStorage, tcpAnswers } from './choose-storage.js';

const base = { redisUrl: 'redis://127.0.0.1:6379', dataDir: '/data' } as const;
const never = async () => {
  throw new Error('the default address must not be probed here');
};

describe('chooseStorage', () => {
  it('takes Redis when REDIS_URL is set, without probing (an unreachable one then fails the boot)', async () => {
    expect(
      await chooseStorage({ ...base, storage: 'auto', redisUrlSet: true, defaultRedisAnswers: never }),
    ).toEqual({
      kind: 'redis',
      url: base.redisUrl,
    });
  });

  it('takes the disk when asked, even with REDIS_URL set', async () => {
    expect(
      await chooseStorage({ ...base, storage: 'disk', redisUrlSet: true, defaultRedisAnswers: never }),
    ).toEqual({
      kind: 'disk',
      dir: '/data',
      why: 'asked',
    });
  });

  it('takes Redis when asked, without probing', async () => {
    expect(
      await chooseStorage({ ...base, storage: 'redis', redisUrlSet: false, defaultRedisAnswers: never }),
    ).toEqual({ kind: 'redis', url: base.redisUrl });
  });

  it.each([
    [true, { kind: 'redis', url: base.redisUrl }],
    [false, { kind: 'disk', dir: '/data', why: 'no_redis' }],
  ])('with nothing set, follows whether the default address answers (%s)', async (answers, expected) => {
    expect(
      await chooseStorage({
        ...base,
        storage: 'auto',
        redisUrlSet: false,
        defaultRedisAnswers: async () => answers,
      }),
    ).toEqual(expected);
  });
});

describe('tcpAnswers', () => {
  it('is true for a listening port and false once it is closed', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const url = `redis://127.0.0.1:${address.port}`;

    expect(await tcpAnswers(url)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await tcpAnswers(url)).toBe(false);
  });
});
