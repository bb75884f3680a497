import type { Summary } from '../pipeline/effects.js';
import type { Run } from '../pipeline/run.js';
import { connectorPaths } from '../target-repo/connector-paths.js';
import { describeStatus } from './describe-status.js';
import { commitLink, escapeHtml } from './format.js';

/** The secret and environment the bot's workflow reads in `auth` and `live` mode (docs/maintainer-view.md, Credentials). */
const SECRET = 'CONNECTOR_TEST_CONFIG_JSON';
const ENVIRONMENT = 'lakeflow-live';

/**
 * The credentials gate after *auth*: how a maintainer adds the secret (credentials never pass
 * through the bot, an issue or a comment), then `/approve` to run `auth_test.py` in Actions, or
 * `/skip-auth`. After a failed live check it says what went wrong first.
 */
export function renderCredentialsSummary(
  run: Run,
  summary: Extract<Summary, { kind: 'credentials' }>,
): string[] {
  const commit = summary.headSha === null ? '' : ` · commit ${commitLink(run.repoUrl, summary.headSha)}`;
  const failed = summary.lastCheck === 'failed';
  const title = failed
    ? `**Phase 2, auth: the live check failed**${commit}`
    : `**Phase 2, auth: auth code written, live credentials next**${commit}`;
  const lines = [title, ''];
  if (failed) {
    const problem = summary.problem === null ? 'the check did not pass.' : escapeHtml(summary.problem);
    lines.push(
      `Problem: ${problem}`,
      '',
      'Check the secret as below, then reply `/approve` to run the check again.',
      '',
    );
  } else {
    lines.push(
      'To check the auth code against the real API, the connection parameters go into a secret:',
      '',
    );
  }
  const authTest = connectorPaths(run.source, run.settings.layout).authTest;
  lines.push(
    `1. In **Settings → Environments**, open or create the environment \`${ENVIRONMENT}\` and add required reviewers.`,
    `2. Add the environment secret \`${SECRET}\`: a flat JSON object of the connection parameters that ` +
      '`connector_spec.yaml` declares, e.g. `{"api_key": "…"}`. Never paste credentials in a comment.',
    `3. Reply **\`/approve\`**: I will run \`${authTest}\` in Actions in that environment.`,
    '',
    `No credentials at hand? Reply \`/skip-auth\` to go on in simulate mode only; the PR gets the label \`${run.settings.needsLiveTestingLabel}\`. ` +
      '`/revise <guidance>` runs *auth* again with your guidance.',
  );
  if (run.status.kind !== 'awaiting_credentials')
    lines.push('', `The run is now ${describeStatus(run.status)}.`);
  return lines;
}
