import { describe, expect, it } from 'vitest';
import { findSecrets, redactSecrets } from './secret-scan.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const B64 = `${ALNUM}+/`;

/**
 * Deterministic high-entropy filler. Test credentials are assembled at run time so that this file
 * holds nothing a push-protection scanner would take for a real one.
 */
function random(length: number, alphabet = ALNUM, seed = 7): string {
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i += 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[Math.floor((state / 2147483648) * alphabet.length)];
  }
  return out;
}

const pem = (label: string) =>
  [`-----${'BEGIN'} ${label}-----`, random(64, B64), random(64, B64, 9), `-----END ${label}-----`].join('\n');
const jwt = ['eyJ', random(30, ALNUM, 3), '.eyJ', random(60, ALNUM, 4), '.', random(43, ALNUM, 5)].join('');

describe('findSecrets', () => {
  describe('when the text holds a credential', () => {
    it.each([
      ['an RSA private key', `# key\n${pem('RSA PRIVATE KEY')}\n`, 'private key', 2],
      ['an OpenSSH private key', pem('OPENSSH PRIVATE KEY'), 'private key', 1],
      ['a PKCS#8 private key', pem('PRIVATE KEY'), 'private key', 1],
      ['an encrypted private key', pem('ENCRYPTED PRIVATE KEY'), 'private key', 1],
      [
        'a private key in a JSON string',
        `{"private_key": "${pem('PRIVATE KEY').replaceAll('\n', '\\n')}\\n"}`,
        'private key',
        1,
      ],
      ['a private key cut off', `${pem('EC PRIVATE KEY').split('-----END')[0]}`, 'private key', 1],
      ['an AWS access key id', `aws_access_key_id = ${'AKIA'}${random(16, UPPER)}`, 'AWS access key id', 1],
      ['an AWS session key id', `id: ${'ASIA'}${random(16, UPPER, 3)}`, 'AWS access key id', 1],
      [
        'an AWS secret access key',
        `a = 1\nAWS_SECRET_ACCESS_KEY=${random(40, B64)}\n`,
        'AWS secret access key',
        2,
      ],
      ['a classic GitHub token', `t = ${'ghp'}_${random(36)}`, 'GitHub token', 1],
      ['a GitHub OAuth token', `${'gho'}_${random(36)}`, 'GitHub token', 1],
      ['a GitHub user-to-server token', `${'ghu'}_${random(36)}`, 'GitHub token', 1],
      ['a GitHub installation token', `${'ghs'}_${random(36)}`, 'GitHub token', 1],
      ['a GitHub refresh token', `${'ghr'}_${random(36)}`, 'GitHub token', 1],
      [
        'a fine-grained GitHub token',
        `${'github_pat'}_${random(22)}_${random(59, ALNUM, 3)}`,
        'GitHub token',
        1,
      ],
      ['a Slack bot token', `${'xoxb'}-${random(12, HEX)}-${random(24)}`, 'Slack token', 1],
      ['a Slack user token', `\n\n${'xoxp'}-${random(12, HEX)}-${random(24)}`, 'Slack token', 3],
      ['an Anthropic key', `ANTHROPIC=${'sk-ant'}-api03-${random(80)}`, 'Anthropic API key', 1],
      ['an OpenAI project key', `${'sk'}-proj-${random(48)}`, 'OpenAI-style API key', 1],
      ['a legacy OpenAI key', `key ${'sk'}-${random(48)}`, 'OpenAI-style API key', 1],
      [
        'a Google API key',
        `url = "https://x.googleapis.com/?key=${'AIza'}${random(35)}"`,
        'Google API key',
        1,
      ],
      ['a JWT bearer token', `headers = {"X": "Bearer ${jwt}"}`, 'bearer token (JWT)', 1],
      ['a Databricks token', `DATABRICKS_TOKEN: ${'dapi'}${random(32, HEX)}`, 'Databricks token', 1],
      ['a Python password', `password = "${random(16)}"`, 'secret assigned to "password"', 1],
      ['a Python constant', `API_KEY = '${random(24)}'`, 'secret assigned to "API_KEY"', 1],
      ['an attribute', `self._token = "${random(20)}"`, 'secret assigned to "self._token"', 1],
      ['an annotated variable', `token: str = "${random(20)}"`, 'secret assigned to "token"', 1],
      ['a keyword argument', `Client(access_token="${random(20)}")`, 'secret assigned to "access_token"', 1],
      [
        'a dict entry',
        `{"user": "a", "client_secret": "${random(32)}"}`,
        'secret assigned to "client_secret"',
        1,
      ],
      ['a camelCase key', `{\n  "apiKey": "${random(32)}"\n}`, 'secret assigned to "apiKey"', 2],
      ['a quoted YAML value', `auth:\n  password: "${random(16)}"`, 'secret assigned to "password"', 2],
      ['a bare YAML value', `auth:\n  token: ${random(20)}  # prod`, 'secret assigned to "token"', 2],
      ['a hex YAML value', `secret: ${random(32, HEX)}`, 'secret assigned to "secret"', 1],
      [
        'a basic auth header',
        `{"Authorization": "Basic ${random(24, B64)}=="}`,
        'secret assigned to "Authorization"',
        1,
      ],
    ])('finds %s', (_name, text, kind, line) => {
      const findings = findSecrets(text);

      expect(findings).toEqual([{ kind, line }]);
    });

    it('never returns the secret itself', () => {
      const token = `${'ghp'}_${random(36)}`;

      const findings = findSecrets(`password = "${random(16)}"\ntoken = "${token}"\n`);

      expect(JSON.stringify(findings)).not.toContain(token);
      expect(findings).toEqual([
        { kind: 'secret assigned to "password"', line: 1 },
        { kind: 'GitHub token', line: 2 },
      ]);
    });
  });

  describe('when the text only refers to credentials', () => {
    it.each([
      ['an option read', 'self._token = options["token"]'],
      ['an option get', 'self._api_key = options.get("api_key")'],
      ['an env read', 'password = os.environ.get("PW")'],
      ['an env index', 'token = os.environ["ACME_TOKEN"]'],
      ['a YAML placeholder', 'api_key: "<your api key>"'],
      ['a replay stand-in', 'replay_config = {"api_token": "replay-token", "subdomain": "acme"}'],
      ['a test stand-in', '"client_secret": "test-client-secret-123"'],
      ['a dummy stand-in', 'password = "dummy-password-1234"'],
      ['a fake stand-in', 'api_key = "fake_api_key_0123456789"'],
      ['a simulator stand-in', '"access_token": "simulated-access-token"'],
      ['a word stand-in', '"refresh_token": "stand-in-refresh-token"'],
      ['an example value', 'token: "example-token-1234567"'],
      ['a your_ value', 'api_key = "your_api_key_here"'],
      ['a changeme', 'client_secret: changeme'],
      ['xxx', 'password = "xxxxxxxxxxxxxxxx"'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable is the case under test
      ['a shell variable', 'password: ${DB_PASSWORD}'],
      ['a bare variable', 'password: $DB_PASSWORD'],
      ['a template', 'api_key: "{{ secrets.ACME_KEY }}"'],
      ['an f-string', 'headers = {"Authorization": f"Bearer {self._token}"}'],
      ['a token URL', 'TOKEN_URL = "https://api.acme.com/oauth2/token"'],
      ['a token type', 'token_type = "Bearer"'],
      ['a pagination token', '{"next_page_token": "eyJwYWdlIjogMn0K9xQ", "items": []}'],
      ['a sync token', '"sync_token": "c2Vzc2lvbjoxMjM0NTY3OA"'],
      ['a tokenizer', 'tokenizer = "bert-base-uncased-v2"'],
      ['a token count', 'max_tokens = 4096'],
      ['a comparison', 'if token == "Xk9fPq2LmN7vRt4w":'],
      ['an attribute path', 'token: self.config.credentials.token'],
      ['a constant', 'password = DEFAULT_PASSWORD'],
      ['a short password', 'password: hunter2'],
      [
        'a spec field',
        '- name: api_token\n  type: string\n  description: "API token from your account settings"',
      ],
      ['prose', 'The token is sent in the Authorization header as a Bearer token.'],
      [
        'a private key placeholder',
        `-----${'BEGIN'} PRIVATE KEY-----\n<your key>\n-----END PRIVATE KEY-----`,
      ],
      ['the AWS docs example id', `${'AKIA'}IOSFODNN7EXAMPLE`],
      ['a masked GitHub token', `${'ghp'}_${'x'.repeat(36)}`],
      ['a slug after sk-', 'class="sk-this-is-not-a-real-openai-key-at-all"'],
      ['a Bearer placeholder', 'Authorization: Bearer <token>'],
      // Seen in databrickslabs/lakeflow-community-connectors:
      ['an error message', '"INVALID_TOKEN": "Access token expired or invalid.",'],
      ['a key inside a string', 'skip_token = next_page.split("skipToken=")[-1].split("&")[0]'],
      ['a corpus id', '"cart_token": "cart_token_abc123", "checkout_token": "checkout_token_abc123",'],
      ['a shape-correct stand-in', 'replay_config = {"api_key": "0123456789abcdef0123456789abcde-us1"}'],
      [
        'a PEM header in prose',
        '| `private_key_pem` | Full PEM, including `-----BEGIN PRIVATE KEY-----` delimiters |',
      ],
      [
        'a review checklist',
        '| D1 | grep for: `api_key=` / `password=` / `token=` followed by a literal; `Bearer `',
      ],
    ])('ignores %s', (_name, text) => {
      expect(findSecrets(text)).toEqual([]);
    });
  });
});

describe('redactSecrets', () => {
  it('replaces each credential and keeps the rest readable', () => {
    const text = [
      `Failed with Bearer ${jwt} on /v1/contacts`,
      `config: {"user": "ann", "password": "${random(16)}"}`,
      `key ${'AKIA'}${random(16, UPPER)} and ${'dapi'}${random(32, HEX)}`,
      pem('RSA PRIVATE KEY'),
      'done',
    ].join('\n');

    expect(redactSecrets(text)).toMatchInlineSnapshot(`
      "Failed with Bearer [redacted] on /v1/contacts
      config: {"user": "ann", "password": "[redacted]"}
      key [redacted] and [redacted]
      [redacted]
      done"
    `);
  });

  it('leaves text without credentials unchanged', () => {
    const text = 'self._token = options["token"]\n';

    expect(redactSecrets(text)).toBe(text);
  });
});
