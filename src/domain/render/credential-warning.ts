/**
 * The reply to someone whose comment looked like pasted credentials. It never quotes the comment:
 * it says the comment was hidden (or could not be, and must be deleted), that the credential is
 * to be rotated, and how a maintainer hands credentials over instead: the
 * `CONNECTOR_TEST_CONFIG_JSON` secret of the live-test environment (docs/maintainer-view.md, Credentials).
 */
export function renderCredentialWarning(params: { hidden: boolean; environment: string }): string {
  const first = params.hidden
    ? 'I hid your comment because it looks like it contains a credential (a password, token or key).'
    : 'Your comment looks like it contains a credential (a password, token or key), and I could not hide it: ' +
      'please **delete it now** (editing is not enough: the edit history keeps it).';
  return [
    first,
    '',
    'Comments are public, and a hidden comment stays readable in the history and in notification e-mails, ' +
      'so please **rotate that credential** at its source.',
    '',
    ...renderSecretHandOver('a comment', params.environment),
  ].join('\n');
}

/**
 * The reply to an issue whose description looks like it holds a credential. GitHub cannot hide an
 * issue's description the way it hides a comment, so the bot does not read the request (or the
 * edit) at all: it asks for an edit that removes the credential, for the old revision to be deleted
 * from the edit history, and for the credential to be rotated. It names the lines, never the value;
 * an edit without the credential is read as usual.
 */
export function renderIssueCredentialWarning(params: {
  action: 'opened' | 'edited';
  lines: readonly number[];
  environment: string;
}): string {
  const lines = [...new Set(params.lines)].sort((a, b) => a - b);
  const what =
    lines.length === 0
      ? 'its description looks like it contains'
      : `${lines.length === 1 ? 'line' : 'lines'} ${joinWords(lines.map(String))} of its description ${lines.length === 1 ? 'looks' : 'look'} like ${lines.length === 1 ? 'it contains' : 'they contain'}`;
  const first =
    params.action === 'opened'
      ? `I have not read this request: ${what} a credential (a password, token or key).`
      : `I have not read this edit of the request: ${what} a credential (a password, token or key). ` +
        'A plan already made stays as it was.';
  return [
    `${first} I kept nothing of the description and sent none of it anywhere.`,
    '',
    'An issue description cannot be hidden, so please:',
    '',
    '1. **Edit the issue** and remove the credential. Then open **edited** above the description and ' +
      '**delete the old revision** from the edit history, which keeps it otherwise.',
    '2. **Rotate that credential** at its source: it was public from the moment it was posted, and ' +
      'notification e-mails carry it.',
    '',
    'Once an edit removes it, I read the request as usual.',
    '',
    ...renderSecretHandOver('an issue', params.environment),
  ].join('\n');
}

/** `a`, `a and b`, `a, b and c`. */
function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** How a maintainer hands credentials over instead: the environment secret (docs/maintainer-view.md, Credentials). */
function renderSecretHandOver(where: string, environment: string): string[] {
  return [
    `Credentials never go in ${where}. To run the live checks, a maintainer adds them as a secret:`,
    '',
    `1. **Settings → Environments**, open or create the environment \`${environment}\` (with required reviewers).`,
    '2. **Add environment secret** named `CONNECTOR_TEST_CONFIG_JSON`: a flat JSON object of the connection ' +
      'parameters, e.g. `{"api_key": "<your key>"}`.',
    '',
    'Only the `auth` and `live` workflow runs in that environment can read it; the bot never sees it.',
  ];
}
