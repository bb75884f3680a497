import type { RepoConfig } from '../../config/repo-config.js';

/**
 * What a maintainer still has to do on GitHub after `init`, with the names from the repository's config
 * (the one just written, or the one kept), so a renamed environment or label is what they are told to create.
 * It ends with the `doctor` command for the checkout (`repoArg`: its `--repo` value; none for the current folder).
 */
export function renderNextSteps(config: RepoConfig, params: { repoArg?: string } = {}): string {
  const lines = [
    'Next steps:',
    '  1. Review the files, commit them and push to the default branch: GitHub offers the issue form and',
    '     dispatches the workflow only from there.',
    '       git add .github && git commit -m "Add lakeflow-connector-bot" && git push',
    '  2. Settings → General: enable Issues; Actions: enable workflows (a fork starts with both off).',
    `  3. Settings → Environments: create "${config.environment}" with required reviewers. When the bot asks`,
    '     for live credentials, add them there as the secret CONNECTOR_TEST_CONFIG_JSON, never in an issue.',
    `  4. Create the label "${config.labels.request}": an issue form only applies labels that exist:`,
    `       gh label create ${quoteForShell(config.labels.request)}`,
    '  5. Install the GitHub App on this repository (docs/github-app.md in lakeflow-connector-bot), then',
    '     open an issue with the "New connector" form.',
  ];
  if (config.workflow !== 'lakeflow-connector-tests.yml') {
    lines.push(
      `Note: the config names the workflow "${config.workflow}"; init installed lakeflow-connector-tests.yml.`,
      `      Rename the file to .github/workflows/${config.workflow} or set workflow back to the default.`,
    );
  }
  const repo = params.repoArg === undefined ? '' : ` --repo ${quoteForShell(params.repoArg)}`;
  lines.push(
    'Then check the checkout (and again after pulling from upstream): the framework the bot relies on,',
    'these files and every connector:',
    `  npx lakeflow-connector-bot doctor${repo}`,
  );
  return `${lines.join('\n')}\n`;
}

function quoteForShell(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
