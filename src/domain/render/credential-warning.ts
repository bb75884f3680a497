/**
 * The reply to someone whose comment looked like pasted credentials. It never quotes the comment:
 * it says the comment was hidden (or could not be, and must be deleted), that the credential is
 * to be rotated, and how a maintainer hands credentials over instead: the
 * `CONNECTOR_TEST_CONFIG_JSON` secret of the live-test environment (DESIGN.md §1.7).
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
    'Credentials never go in a comment. To run the live checks, a maintainer adds them as a secret:',
    '',
    `1. **Settings → Environments**, open or create the environment \`${params.environment}\` (with required reviewers).`,
    '2. **Add environment secret** named `CONNECTOR_TEST_CONFIG_JSON`: a flat JSON object of the connection ' +
      'parameters, e.g. `{"api_key": "<your key>"}`.',
    '',
    'Only the `auth` and `live` workflow runs in that environment can read it; the bot never sees it.',
  ].join('\n');
}
