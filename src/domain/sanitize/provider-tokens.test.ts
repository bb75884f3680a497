import { describe, expect, it } from 'vitest';
import { findPastedCredentials } from './pasted-credentials.js';
import { isFiller } from './placeholders.js';
import { findSecrets, redactSecrets } from './secret-scan.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const DIGITS = '0123456789';
const B64 = `${ALNUM}+/`;
const URL_SAFE = `${ALNUM}-_`;

/**
 * Deterministic random filler. Every token below is assembled at run time from a vendor prefix
 * split in two and this filler, so the file holds nothing a push-protection scanner takes for a
 * real credential, and none of them is one.
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

/** `length` random characters with `run` in the middle: a real token that holds a "stand-in" run by chance. */
function randomWith(run: string, length: number, alphabet = ALNUM, seed = 13): string {
  const half = Math.floor((length - run.length) / 2);
  return `${random(half, alphabet, seed)}${run}${random(length - run.length - half, alphabet, seed + 1)}`;
}

const p = (...parts: string[]) => parts.join('');
const pem = (label: string, body: string) =>
  [`-----${'BEGIN'} ${label}-----`, body, `-----END ${label}-----`].join('\n');
const jwt = (signature: string) =>
  p('eyJ', 'hbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9', '.eyJ', random(60, URL_SAFE, 4), '.', signature);

interface Provider {
  provider: string;
  /** The kind `findSecrets` reports. */
  kind: string;
  /** Texts that carry a real-looking credential of the provider. */
  real: Array<[name: string, text: string, secret: string]>;
  /** Texts that only stand for one. */
  standIns: Array<[name: string, text: string]>;
}

function realCase(name: string, template: (secret: string) => string, secret: string) {
  return [name, template(secret), secret] as [string, string, string];
}

const PROVIDERS: Provider[] = [
  {
    provider: 'GitHub',
    kind: 'GitHub token',
    real: [
      realCase('a classic token', (s) => `my token is ${s}`, p('gh', 'p_', random(36))),
      realCase('an OAuth token', (s) => `GH_TOKEN=${s}`, p('gh', 'o_', random(36, ALNUM, 3))),
      realCase('an installation token', (s) => `"token": "${s}"`, p('gh', 's_', random(36, ALNUM, 5))),
      realCase('a user-to-server token', (s) => s, p('gh', 'u_', random(36, ALNUM, 9))),
      realCase(
        'a fine-grained token',
        (s) => `use ${s} for the clone`,
        p('github', '_pat_', random(22, ALNUM, 2), '_', random(59, ALNUM, 3)),
      ),
      realCase('a token that holds abcdef', (s) => `token ${s}`, p('gh', 'p_', randomWith('abcdef', 36))),
      realCase('a token that holds 0123456', (s) => `token ${s}`, p('gh', 'p_', randomWith('0123456', 36))),
      realCase('a token that holds test', (s) => s, p('gh', 's_', randomWith('test', 36, ALNUM, 21))),
      realCase('a token that holds xxx', (s) => s, p('gh', 'p_', randomWith('xxx', 36, ALNUM, 23))),
    ],
    standIns: [
      ['x-ed out', p('GITHUB_TOKEN=gh', 'p_', 'x'.repeat(36))],
      ['upper-case X', p('gh', 'p_', 'X'.repeat(40))],
      ['zeros', p('gh', 's_', '0'.repeat(36))],
      ['a sequential filler', p('gh', 'p_', '0123456789abcdef0123456789abcdef0123')],
      ['the alphabet', p('gh', 'p_', 'abcdefghijklmnopqrstuvwxyz0123456789')],
      ['words', p('gh', 'p_', 'YourPersonalAccessTokenGoesHere12345')],
      ['an angle-bracket placeholder', 'GITHUB_TOKEN=<your-token>'],
      ['a fine-grained filler', p('github', '_pat_', 'x'.repeat(22), '_', 'x'.repeat(59))],
    ],
  },
  {
    provider: 'Stripe',
    kind: 'Stripe secret key',
    real: [
      realCase('a live secret key', (s) => `STRIPE_SECRET_KEY=${s}`, p('sk', '_live_', random(24))),
      realCase('a long live secret key', (s) => `key: ${s}`, p('sk', '_live_', '51', random(97, ALNUM, 3))),
      realCase('a live restricted key', (s) => `restricted ${s}`, p('rk', '_live_', random(24, ALNUM, 5))),
      realCase(
        'a test secret key (still a secret)',
        (s) => `"${s}"`,
        p('sk', '_test_', random(24, ALNUM, 9)),
      ),
      realCase('a test restricted key', (s) => s, p('rk', '_test_', random(24, ALNUM, 11))),
      realCase('a webhook signing secret', (s) => `whsec ${s}`, p('wh', 'sec_', random(32, ALNUM, 17))),
      realCase('a key that holds abcdef', (s) => s, p('sk', '_live_', randomWith('abcdef', 30))),
      realCase('a key that holds 0123456', (s) => s, p('sk', '_live_', randomWith('0123456', 30))),
    ],
    standIns: [
      ['x-ed out', p('sk', '_live_', 'x'.repeat(24))],
      ['a sequential filler', p('sk', '_test_', 'abcdefghijklmnopqrstuvwx')],
      ['zeros', p('rk', '_live_', '0'.repeat(24))],
      ['words', p('sk', '_live_', 'YourStripeSecretKeyHere')],
      ['an angle-bracket placeholder', p('STRIPE_KEY=sk', '_live_', '<your-key>')],
      ['a publishable key (public by design)', p('pk', '_live_', random(24))],
    ],
  },
  {
    provider: 'Slack',
    kind: 'Slack token',
    real: [
      realCase(
        'a bot token',
        (s) => `SLACK_BOT_TOKEN=${s}`,
        p('xo', 'xb-', random(12, DIGITS), '-', random(13, DIGITS, 3), '-', random(24)),
      ),
      realCase(
        'a user token',
        (s) => s,
        p(
          'xo',
          'xp-',
          random(12, DIGITS, 5),
          '-',
          random(12, DIGITS, 6),
          '-',
          random(13, DIGITS),
          '-',
          random(32, HEX),
        ),
      ),
      realCase(
        'a bot token that holds abcdef',
        (s) => s,
        p('xo', 'xb-', random(12, DIGITS), '-', random(13, DIGITS, 3), '-', randomWith('abcdef', 24)),
      ),
    ],
    standIns: [
      ['x-ed out', p('xo', 'xb-', 'x'.repeat(12), '-', 'x'.repeat(12), '-', 'x'.repeat(24))],
      ['zeros', p('xo', 'xb-', '0'.repeat(12), '-', '0'.repeat(13), '-', '0'.repeat(24))],
      ['words', p('xo', 'xb-', 'your-slack-bot-token-here')],
      ['a sequential filler', p('xo', 'xp-', '1234567890-1234567890-1234567890-abcdefghijklmnopqrstuvwxyz')],
    ],
  },
  {
    provider: 'Slack webhooks',
    kind: 'Slack webhook URL',
    real: [
      realCase(
        'an incoming webhook URL',
        (s) => `https://hooks.slack.com/services/${s}`,
        p('T', random(10, UPPER), '/B', random(10, UPPER, 3), '/', random(24, ALNUM, 5)),
      ),
    ],
    standIns: [['x-ed out', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX']],
  },
  {
    provider: 'AWS',
    kind: 'AWS access key id',
    real: [
      realCase('an access key id', (s) => `aws_access_key_id = ${s}`, p('AK', 'IA', random(16, UPPER))),
      realCase('a session key id', (s) => `id: ${s}`, p('AS', 'IA', random(16, UPPER, 3))),
      realCase('an id that holds ABCDEF', (s) => s, p('AK', 'IA', randomWith('ABCDEF', 16, UPPER))),
      realCase('an id that holds 0123456', (s) => s, p('AK', 'IA', randomWith('0123456', 16, UPPER))),
    ],
    standIns: [
      ['the documentation example', p('AK', 'IA', 'IOSFODNN7EXAMPLE')],
      ['x-ed out', p('AK', 'IA', 'X'.repeat(16))],
      ['a sequential filler', p('AK', 'IA', '0123456789ABCDEF')],
    ],
  },
  {
    provider: 'AWS secrets',
    kind: 'AWS secret access key',
    real: [
      realCase('a secret access key', (s) => `AWS_SECRET_ACCESS_KEY=${s}`, random(40, B64)),
      realCase(
        'a secret that holds abcdef',
        (s) => `aws_secret_access_key = ${s}`,
        randomWith('abcdef', 40, B64),
      ),
    ],
    standIns: [
      [
        'the documentation example',
        p('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY'),
      ],
      ['x-ed out', `AWS_SECRET_ACCESS_KEY=${'x'.repeat(40)}`],
      ['an angle-bracket placeholder', 'aws_secret_access_key = <your-secret-key>'],
    ],
  },
  {
    provider: 'Google',
    kind: 'Google API key',
    real: [
      realCase('an API key', (s) => `GOOGLE_API_KEY=${s}`, p('AI', 'za', random(35, URL_SAFE))),
      realCase(
        'a key in a URL',
        (s) => `https://maps.googleapis.com/x?key=${s}&q=1`,
        p('AI', 'za', random(35, URL_SAFE, 3)),
      ),
      realCase('a key that holds abcdef', (s) => s, p('AI', 'za', randomWith('abcdef', 35, URL_SAFE))),
    ],
    standIns: [
      ['x-ed out', p('AI', 'za', 'X'.repeat(35))],
      ['a filler after Sy', p('AI', 'zaSy', 'A'.repeat(33))],
    ],
  },
  {
    provider: 'Anthropic',
    kind: 'Anthropic API key',
    real: [
      realCase(
        'an API key',
        (s) => `ANTHROPIC_API_KEY=${s}`,
        p('sk', '-ant-api03-', random(93, URL_SAFE), 'AA'),
      ),
      realCase('an admin key', (s) => s, p('sk', '-ant-admin01-', random(93, URL_SAFE, 3), 'AA')),
      realCase(
        'a key that holds 0123456',
        (s) => s,
        p('sk', '-ant-api03-', randomWith('0123456', 93, URL_SAFE)),
      ),
    ],
    standIns: [
      ['x-ed out', p('sk', '-ant-api03-', 'x'.repeat(40))],
      ['words', p('sk', '-ant-api03-your-anthropic-api-key-here')],
      ['an angle-bracket placeholder', p('ANTHROPIC_API_KEY=sk', '-ant-<your-key>')],
    ],
  },
  {
    provider: 'OpenAI',
    kind: 'OpenAI-style API key',
    real: [
      realCase(
        'a legacy key',
        (s) => `OPENAI_API_KEY=${s}`,
        p('sk', '-', random(20), 'T3BlbkFJ', random(20, ALNUM, 3)),
      ),
      realCase('a project key', (s) => s, p('sk', '-proj-', random(156, URL_SAFE, 5))),
      realCase(
        'a project key that holds abcdef',
        (s) => s,
        p('sk', '-proj-', randomWith('abcdef', 120, URL_SAFE)),
      ),
    ],
    standIns: [
      ['x-ed out', p('sk', '-', 'x'.repeat(48))],
      ['a project key x-ed out', p('sk', '-proj-', 'X'.repeat(48))],
      ['words and a sequential run', p('sk', '-your-openai-api-key-here-0123456789')],
      ['a CSS class', 'class="sk-this-is-not-a-real-openai-key-at-all"'],
    ],
  },
  {
    provider: 'private keys',
    kind: 'private key',
    real: [
      realCase('an RSA key', (s) => s, pem('RSA PRIVATE KEY', `${random(64, B64)}\n${random(64, B64, 3)}`)),
      realCase(
        'an OpenSSH key',
        (s) => s,
        pem('OPENSSH PRIVATE KEY', `${random(70, B64, 5)}\n${random(30, B64, 6)}`),
      ),
      realCase(
        'a key that holds abcdef0123456',
        (s) => s,
        pem('PRIVATE KEY', randomWith('abcdef0123456', 64, B64)),
      ),
    ],
    standIns: [
      ['an angle-bracket placeholder', pem('PRIVATE KEY', '<your key>')],
      ['x-ed out', pem('RSA PRIVATE KEY', `${'X'.repeat(64)}\n${'X'.repeat(64)}`)],
      ['a filler after the usual start', pem('PRIVATE KEY', `MIIE${'A'.repeat(60)}`)],
    ],
  },
  {
    provider: 'JWT',
    kind: 'JWT',
    real: [
      realCase('a JWT in JSON', (s) => `{"id_token": "${s}"}`, jwt(random(43, URL_SAFE, 5))),
      realCase('a JWT in prose', (s) => `the session is ${s} today`, jwt(random(86, URL_SAFE, 6))),
    ],
    standIns: [
      ['an x-ed out signature', jwt('x'.repeat(43))],
      ['an elided JWT', 'eyJhbGciOi...eyJzdWIi...'],
    ],
  },
  {
    provider: 'JWT bearer',
    kind: 'bearer token (JWT)',
    real: [realCase('a bearer JWT', (s) => `Authorization: Bearer ${s}`, jwt(random(43, URL_SAFE, 7)))],
    standIns: [
      ['a Bearer placeholder', 'Authorization: Bearer <token>'],
      ['an x-ed out signature', `Authorization: Bearer ${jwt('x'.repeat(43))}`],
    ],
  },
  {
    provider: 'Azure storage',
    kind: 'Azure storage key',
    real: [
      realCase(
        'a connection string',
        (s) =>
          `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${s};EndpointSuffix=core.windows.net`,
        `${random(86, B64, 3)}==`,
      ),
    ],
    standIns: [
      [
        'an angle-bracket placeholder',
        'AccountName=acme;AccountKey=<storage-account-key>;EndpointSuffix=core.windows.net',
      ],
      ['x-ed out', `AccountKey=${'x'.repeat(86)}==`],
    ],
  },
  {
    provider: 'URLs',
    kind: 'password in a URL',
    real: [
      realCase('a database URL', (s) => `postgres://admin:${s}@db.acme.io:5432/crm`, random(16, ALNUM, 5)),
      realCase(
        'a URL password that holds abcdef',
        (s) => `https://svc:${s}@api.acme.io/`,
        randomWith('abcdef', 20),
      ),
    ],
    standIns: [
      ['a word', 'postgres://user:password@localhost:5432/db'],
      ['an angle-bracket placeholder', 'https://user:<password>@api.acme.io/'],
      ['a variable', ['postgres://app:$', '{DB_PASSWORD}@db:5432/app'].join('')],
      ['a documentation host', 'https://user:hunter2@example.com/odata/'],
    ],
  },
  {
    provider: 'other vendors',
    kind: '',
    real: [
      realCase('a GitLab token', (s) => s, p('gl', 'pat-', random(20, URL_SAFE))),
      realCase('a Hugging Face token', (s) => s, p('h', 'f_', random(34))),
      realCase('an npm token', (s) => s, p('np', 'm_', random(36))),
      realCase('a PyPI token', (s) => s, p('py', 'pi-AgEIcHlwaS5vcmc', random(60, URL_SAFE))),
      realCase('a SendGrid key', (s) => s, p('S', 'G.', random(22, URL_SAFE), '.', random(43, URL_SAFE, 3))),
      realCase('a Shopify token', (s) => s, p('shp', 'at_', random(32, HEX))),
      realCase(
        'a HubSpot private app token',
        (s) => s,
        p(
          'pat',
          '-na1-',
          random(8, HEX),
          '-',
          random(4, HEX, 2),
          '-',
          random(4, HEX, 3),
          '-',
          random(4, HEX, 4),
          '-',
          random(12, HEX, 5),
        ),
      ),
      realCase('an Atlassian token', (s) => s, p('ATA', 'TT3xFfGF0', random(180, URL_SAFE))),
      realCase('a Databricks token', (s) => s, p('da', 'pi', random(32, HEX))),
    ],
    standIns: [
      ['a GitLab filler', p('gl', 'pat-', 'x'.repeat(20))],
      ['a Hugging Face filler', p('h', 'f_', 'x'.repeat(34))],
      ['an npm filler', p('np', 'm_', '0'.repeat(36))],
      ['a Databricks sequential filler', p('da', 'pi', '0123456789abcdef0123456789abcdef')],
    ],
  },
  {
    provider: 'assignments',
    kind: '',
    real: [
      realCase('a password= line', (s) => `password=${s}`, random(16, ALNUM, 3)),
      realCase('an api_key= line', (s) => `api_key = "${s}"`, random(32, ALNUM, 5)),
      realCase(
        'a client secret that holds abcdef',
        (s) => `"client_secret": "${s}"`,
        randomWith('abcdef', 32),
      ),
      realCase('a secret that holds 0123456', (s) => `CLIENT_SECRET=${s}`, randomWith('0123456', 32)),
      realCase('a DB_PASS line', (s) => `DB_PASS=${s}`, random(20, ALNUM, 9)),
      realCase(
        'an Azure client secret',
        (s) => `AZURE_CLIENT_SECRET="${s}"`,
        p(random(3), '8Q~', random(34, URL_SAFE, 4)),
      ),
    ],
    standIns: [
      ['an Actions secret expression', ['CONNECTOR_TEST_CONFIG_JSON: $', '{{ secrets.X }}'].join('')],
      ['a shell variable', ['password=$', '{DB_PASSWORD}'].join('')],
      ['an angle-bracket placeholder', 'api_key: <your-api-key>'],
      ['asterisks', 'password: ***'],
      ['x-ed out', 'api_key=xxxxxxxxxxxxxxxx'],
      ['a sequential filler', '"client_secret": "0123456789abcdef"'],
      ['all one character', 'password = "aaaaaaaaaaaaaaaa"'],
      ['words', 'api_key = "your_api_key_here"'],
    ],
  },
];

/** Text that is neither a credential nor a stand-in for one. */
const ORDINARY: Array<[name: string, text: string]> = [
  ['a GUID', 'tenant_id: 3fa85f64-5717-4562-b3fc-2c963f66afa6'],
  ['a GUID in prose', 'Workspace 123e4567-e89b-12d3-a456-426614174000 is the sandbox.'],
  ['a commit SHA', 'Fixed in 9fceb02d0ae598e95dc970b74767f19372d61af8 on main.'],
  [
    'a commit SHA in a URL',
    'https://github.com/acme/connectors/commit/9fceb02d0ae598e95dc970b74767f19372d61af8',
  ],
  [
    'URLs',
    'Docs: https://developers.acme.example/api/v2?page=2&per_page=100 and https://acme.io/oauth/token',
  ],
  ['a base64 cursor', '{"next_page_token": "c2Vjb25kLXBhZ2U9Mg", "items": []}'],
  [
    'an issue form',
    '### Source name\n\nacme_crm\n\n### Notes\n\nAuth: an API token in the `Authorization` header.',
  ],
];

describe('vendor tokens, per provider', () => {
  for (const { provider, kind, real, standIns } of PROVIDERS) {
    describe(provider, () => {
      it.each(real)('finds %s and redacts all of it', (_name, text, secret) => {
        const findings = findSecrets(text);

        expect(findings).toHaveLength(1);
        if (kind !== '') expect(findings[0]?.kind).toBe(kind);
        expect(redactSecrets(text)).not.toContain(secret);
        expect(findPastedCredentials(text)).not.toEqual([]);
      });

      it.each(standIns)('takes %s for a stand-in', (_name, text) => {
        expect(findSecrets(text)).toEqual([]);
        expect(findPastedCredentials(text)).toEqual([]);
      });
    });
  }

  it.each(ORDINARY)('leaves %s alone', (_name, text) => {
    expect(findSecrets(text)).toEqual([]);
    expect(findPastedCredentials(text)).toEqual([]);
  });
});

describe('isFiller', () => {
  it.each([
    ['x-ed out', 'xxxxxxxxxxxxxxxxxxxx'],
    ['zeros with separators', '000000000000-000000000000'],
    ['hex in order, twice', '0123456789abcdef0123456789abcdef'],
    ['a repeated pair', '1a1a1a1a1a1a1a1a'],
    ['a repeated unit', 'abc123abc123abc123'],
    ['stand-in words', 'your_github_token_here'],
    ['nothing', '--'],
  ])('takes %s for filler', (_name, value) => {
    expect(isFiller(value)).toBe(true);
  });

  it('never takes a random token of 16 characters or more for filler, whatever runs it holds', () => {
    const alphabets = [ALNUM, UPPER, HEX, B64];
    const tokens = alphabets.flatMap((alphabet, a) =>
      Array.from({ length: 500 }, (_, seed) => random(16 + (seed % 40), alphabet, seed * 7 + a + 1)),
    );
    const withRuns = ['abcdef', '0123456', 'xxx', 'test'].flatMap((run, r) =>
      Array.from({ length: 100 }, (_, seed) => randomWith(run, 24 + (seed % 20), ALNUM, seed * 5 + r)),
    );

    expect([...tokens, ...withRuns].filter(isFiller)).toEqual([]);
  });
});
