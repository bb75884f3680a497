import { describe, expect, it } from 'vitest';
import { renderCredentialWarning } from './credential-warning.js';

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
