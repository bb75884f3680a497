import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../errors.js';
import { createCommitOnBranchInput, splitMessage } from './commit-input.js';

describe('splitMessage', () => {
  it('takes the first line as the headline and the rest, less the blank line, as the body', () => {
    const message = 'test: acme (batch 1)\n\nLakeflow-Job: acme-1-test-a1';

    const split = splitMessage(message);

    expect(split).toEqual({ headline: 'test: acme (batch 1)', body: 'Lakeflow-Job: acme-1-test-a1' });
    // GitHub joins them with a blank line: the commit carries the message as it was.
    expect(`${split.headline}\n\n${split.body}`).toBe(message);
  });

  it('keeps a multi-paragraph body whole', () => {
    expect(splitMessage('a\n\nb\n\nc')).toEqual({ headline: 'a', body: 'b\n\nc' });
  });

  it('sends no body for a one-line message', () => {
    expect(splitMessage('only a headline')).toEqual({ headline: 'only a headline' });
  });

  it('refuses a message without a first line', () => {
    expect(() => splitMessage('\n\nLakeflow-Job: x')).toThrow(InvariantError);
  });
});

describe('createCommitOnBranchInput', () => {
  it('sends written files as base64 of their UTF-8 text and deletions by path', () => {
    const input = createCommitOnBranchInput({
      owner: 'acme',
      repo: 'connectors',
      branch: 'lakeflow/acme',
      expectedHeadSha: 'a'.repeat(40),
      message: 'm',
      changes: [
        { path: 'a.py', content: 'é\n' },
        { path: 'gone.py', content: null },
      ],
    });

    expect(input.fileChanges).toEqual({
      additions: [{ path: 'a.py', contents: Buffer.from('é\n', 'utf8').toString('base64') }],
      deletions: [{ path: 'gone.py' }],
    });
    expect(input.branch).toEqual({ repositoryNameWithOwner: 'acme/connectors', branchName: 'lakeflow/acme' });
  });
});
