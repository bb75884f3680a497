import { describe, expect, it } from 'vitest';
import { isAuthorized, parseBasicAuth } from './basic-auth.js';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
const EXPECTED = { user: 'ops', password: 'correct horse: battery' };

describe('isAuthorized', () => {
  it.each([
    ['the right login', basic('ops:correct horse: battery'), true],
    ['a lower-case scheme', basic('ops:correct horse: battery').replace('Basic', 'basic'), true],
    ['a wrong password', basic('ops:correct horse'), false],
    ['a wrong user', basic('root:correct horse: battery'), false],
    ['a password that only starts right', basic('ops:correct horse: battery!'), false],
    ['no header', undefined, false],
    ['an empty login', basic(':'), false],
    ['another scheme', 'Bearer abc', false],
    ['no colon', basic('opscorrect'), false],
    ['not base64', 'Basic %%%', false],
  ])('%s → %s', (_name, header, expected) => {
    expect(isAuthorized(header, EXPECTED)).toBe(expected);
  });
});

describe('parseBasicAuth', () => {
  it('splits on the first colon: the password may contain colons', () => {
    expect(parseBasicAuth(basic('ops:a:b'))).toEqual({ user: 'ops', password: 'a:b' });
  });
});
