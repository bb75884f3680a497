import { describe, expect, it } from 'vitest';
import { renderCredentialWarning, renderIssueCredentialWarning } from './credential-warning.js';

describe('renderCredentialWarning', () => {
  it('says the comment was hidden, to rotate the credential, and where the secret goes', () => {
    const text = renderCredentialWarning({ hidden: true, environment: 'lakeflow-live' });

    expect(text).toMatch(/^I hid your comment/);
    expect(text).toContain('**rotate that credential**');
    expect(text).toContain('**Settings → Environments**, open or create the environment `lakeflow-live`');
    expect(text).toContain('named `CONNECTOR_TEST_CONFIG_JSON`');
  });

  it('asks for the comment to be deleted when it could not be hidden', () => {
    const text = renderCredentialWarning({ hidden: false, environment: 'live-tests' });

    expect(text).not.toContain('I hid');
    expect(text).toContain('I could not hide it: please **delete it now**');
    expect(text).toContain('`live-tests`');
  });
});

describe('renderIssueCredentialWarning', () => {
  it('says the request was not read, names the lines, and asks to edit, delete the revision and rotate', () => {
    const text = renderIssueCredentialWarning({
      action: 'opened',
      lines: [14, 9, 14],
      environment: 'lakeflow-live',
    });

    expect(text).toMatchInlineSnapshot(`
      "I have not read this request: lines 9 and 14 of its description look like they contain a credential (a password, token or key). I kept nothing of the description and sent none of it anywhere.

      An issue description cannot be hidden, so please:

      1. **Edit the issue** and remove the credential. Then open **edited** above the description and **delete the old revision** from the edit history, which keeps it otherwise.
      2. **Rotate that credential** at its source: it was public from the moment it was posted, and notification e-mails carry it.

      Once an edit removes it, I read the request as usual.

      Credentials never go in an issue. To run the live checks, a maintainer adds them as a secret:

      1. **Settings → Environments**, open or create the environment \`lakeflow-live\` (with required reviewers).
      2. **Add environment secret** named \`CONNECTOR_TEST_CONFIG_JSON\`: a flat JSON object of the connection parameters, e.g. \`{"api_key": "<your key>"}\`.

      Only the \`auth\` and \`live\` workflow runs in that environment can read it; the bot never sees it."
    `);
  });

  it.each([
    [[3], 'line 3 of its description looks like it contains a credential'],
    [[1, 2, 5], 'lines 1, 2 and 5 of its description look like they contain a credential'],
    [[], 'its description looks like it contains a credential'],
  ])('names the lines %j', (lines, phrase) => {
    expect(renderIssueCredentialWarning({ action: 'opened', lines, environment: 'x' })).toContain(phrase);
  });

  it('on an edit, says the edit was not read and a plan stays as it was', () => {
    const text = renderIssueCredentialWarning({ action: 'edited', lines: [7], environment: 'x' });

    expect(text).toMatch(/^I have not read this edit of the request: line 7 /);
    expect(text).toContain('A plan already made stays as it was.');
  });
});
