import { describe, expect, it } from 'vitest';
import { renderNotice } from './render-notice.js';

describe('renderNotice', () => {
  it('shows a comment as written, without its marker line, after a blank line', () => {
    const body = '<!-- lakeflow-connector-bot:summary-b1-research-a1 -->\nPhase 1, research: API documented';

    expect(renderNotice({ kind: 'comment', issue: 1, key: 'summary-b1-research-a1', body })).toBe(
      '\nPhase 1, research: API documented\n',
    );
  });

  it('shows a reply on its own line, right under the answer it follows', () => {
    const body = '<!-- lakeflow-connector-bot:reply-local-1 -->\n↳ noted.';

    expect(renderNotice({ kind: 'comment', issue: 1, key: 'reply-local-1', body })).toBe('↳ noted.');
  });

  it('leaves the status comment to the progress lines', () => {
    expect(renderNotice({ kind: 'comment', issue: 1, key: 'status', body: 'x' })).toBeNull();
  });
});
