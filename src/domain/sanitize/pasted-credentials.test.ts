import { describe, expect, it } from 'vitest';
import { findPastedCredentials, hasPastedCredentials } from './pasted-credentials.js';

/** Deterministic filler, assembled at run time so this file holds nothing a push scanner flags. */
function random(length: number, seed = 11): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i += 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[Math.floor((state / 2147483648) * alphabet.length)];
  }
  return out;
}

const githubToken = `${'ghp'}_${random(36)}`;
const secretExpression = ['$', '{{ secrets.CONNECTOR_TEST_CONFIG_JSON }}'].join('');

describe('findPastedCredentials', () => {
  describe('when a comment carries a credential', () => {
    it.each([
      ['a GitHub token in prose', `here is my token ${githubToken} thanks`],
      ['a flat JSON config', '```json\n{"subdomain": "acme", "api_token": "Zk8#pQ2!vL"}\n```'],
      ['a multi-line JSON object', '{\n  "client_id": "abc",\n  "client_secret": "s3cr3t-Value"\n}'],
      ['a minified JSON config', `{"host":"x.example.org","password":"Tr0ub4dor&3"}`],
      ['a YAML password', 'password: hunter22'],
      ['a .env line', 'API_KEY=9f8e7d6c5b'],
      ['a camelCase key', 'apiKey = "K9!mz_41q"'],
      ['an inline code span', 'try `access_token: 1//0gAbc9xyz`'],
      ['a long random value under a credential key', `secret: ${random(24, 3)}`],
      ['a Basic authorization header', `Authorization: Basic ${random(20, 5)}==`],
      ['a command line with a token', `/approve token=${random(14, 9)}`],
      ['a password mid-sentence', 'use password: hunter22 for the sandbox'],
      ['Windows line endings', 'user: me\r\npassword: Pa55word!\r\n'],
    ])('finds %s', (_name, body) => {
      expect(findPastedCredentials(body).length).toBeGreaterThan(0);
      expect(hasPastedCredentials(body)).toBe(true);
    });

    it('reports the kind and line, never the value', () => {
      const findings = findPastedCredentials('Config:\n\n{"password": "Tr0ub4dor&3"}');

      expect(findings).toEqual([{ kind: 'value of "password"', line: 3 }]);
      expect(JSON.stringify(findings)).not.toContain('Tr0ub4dor');
    });
  });

  describe('when a comment carries no credential', () => {
    it.each([
      ['an angle-bracket placeholder', '{"api_token": "<your-token>"}'],
      ['asterisks', 'password: ***'],
      ['an Actions secret expression', `CONNECTOR_TEST_CONFIG_JSON: ${secretExpression}`],
      ['an environment variable', 'api_key=$API_KEY'],
      ['x-ed out', '"client_secret": "xxxxxxxx"'],
      ['changeme', 'password: changeme123'],
      ['a word describing the field', 'token: required'],
      ['prose after a credential word', 'The token: it expires after an hour, so refresh it.'],
      ['a dotted identifier', 'api_key = settings.api_key'],
      ['a token URL', 'token_url: https://auth.example.org/oauth/token'],
      ['a pagination token', '{"next_page_token": "c2Vjb25kLXBhZ2U9Mg"}'],
      ['a short value', 'pin: 1234, token: ab1'],
      [
        'an authorization header placeholder',
        'curl -H "Authorization: Bearer <access-token>" https://api.example.org',
      ],
      ['an ordinary command', '/revise please also cover the invoices table'],
      ['a hyphenated word', 'token: auto-generated'],
      ['a version', 'Bumped secret: v1.2.3 of the helper, password: hunter is a bad example.'],
    ])('ignores %s', (_name, body) => {
      expect(findPastedCredentials(body)).toEqual([]);
      expect(hasPastedCredentials(body)).toBe(false);
    });
  });
});
