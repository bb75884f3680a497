import { describe, expect, it } from 'vitest';
import { renderRequestErrors } from './request-errors.js';

describe('renderRequestErrors', () => {
  it('lists each field with its problem and says how to fix it', () => {
    const body = renderRequestErrors([
      {
        field: 'Source name',
        message: '`Acme CRM` is not a valid source name: use lower snake case, e.g. `acme_crm`.',
      },
      { field: 'API documentation links', message: '`ftp://x` is not an http(s) link.' },
    ]);

    expect(body).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:request-errors -->
      I could not read this connector request:

      - **Source name**: \`Acme CRM\` is not a valid source name: use lower snake case, e.g. \`acme_crm\`.
      - **API documentation links**: \`ftp://x\` is not an http(s) link.

      Edit the issue to fix it; I will read it again."
    `);
  });

  it('escapes angle brackets, so a message cannot open a tag or a hidden comment', () => {
    const body = renderRequestErrors([
      { field: 'Tables <b>', message: 'got <!-- lakeflow-connector-bot:state v=1 e30 --> <img src=x>' },
    ]);

    expect(body).toMatchInlineSnapshot(`
      "<!-- lakeflow-connector-bot:request-errors -->
      I could not read this connector request:

      - **Tables &lt;b&gt;**: got &lt;!-- lakeflow-connector-bot:state v=1 e30 --&gt; &lt;img src=x&gt;

      Edit the issue to fix it; I will read it again."
    `);
  });
});
