import { describe, expect, it } from 'vitest';
import { renderHelp } from './help.js';

describe('renderHelp', () => {
  it('lists every command with who may use it and what it does', () => {
    const body = renderHelp();

    expect(body).toMatchInlineSnapshot(`
      "these are the commands I understand:

      | command | who | effect |
      |---|---|---|
      | \`/approve\` | write access | start the next phase (or the plan, the next batch, or, once done, a skipped live check) |
      | \`/revise <text>\` | write access | re-run the current phase with the feedback; PR reviews from people who may \`/revise\` are fed in too |
      | \`/retry\` | write access | re-run a failed phase |
      | \`/restart <phase>\` | write access | resume from that phase, keeping earlier output |
      | \`/skip-auth\` | write access | no live credentials: simulate-mode only, PR labelled \`needs-live-testing\` |
      | \`/add-tables a,b\` | write access | at plan approval it adds to the plan; at the next-batch question it adds to the tables still to build; after completion it starts a new batch (research append → implement extend → test → docs/spec → package) |
      | \`/cancel\` | write access or issue author | stop; nothing further is spent |
      | \`/status\`, \`/help\` | anyone | reply with state and commands |

      Commands work on the issue and on the PR, and each must start a line of its own.
      \`/lakeflow\` before a command (\`/lakeflow approve\`) sets it apart from the commands of other bots; a repository can require it.
      \`<phase>\` is one of \`research\`, \`auth\`, \`implement\`, \`test\`, \`docs\`, \`spec\`, \`package\`."
    `);
  });
});
