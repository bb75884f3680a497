import { assertNever } from '../assert-never.js';
import { STAGE_LABELS, STAGES, type Stage } from '../pipeline/phase.js';
import type { Run } from '../pipeline/run.js';
import { connectorPaths, shortPath } from '../target-repo/connector-paths.js';
import { codeList, formatUsd } from './format.js';
import { renderMarker } from './markers.js';

/**
 * The plan comment on the issue (docs/maintainer-view.md), written without any model call: what will be
 * built and where, tables in scope, the phases and their files, the budget and the commands.
 * Only validated request fields are shown (source, table names, http(s) links); the free-text
 * notes are untrusted and never echoed.
 */
export function renderPlanComment(run: Run): string {
  const s = run.source;
  const verb = run.extension
    ? 'extend the Lakeflow community connector'
    : 'build a Lakeflow community connector for';
  const lines = [
    renderMarker('plan'),
    `**Lakeflow connector plan: \`${s}\`**`,
    '',
    `I will ${verb} **${s}** on branch \`${run.branch}\`, as a draft PR once the first phase commits.`,
    '',
  ];
  if (run.extension) {
    lines.push(
      `**\`${s}\` already exists** in this repository: this run adds tables to it and keeps the existing ones. ` +
        'The *auth* phase is skipped, since the connector already authenticates.',
      '',
    );
  }
  lines.push(renderTablesInScope(run.request.tables), '', '| phase | produces |', '|---|---|');
  for (const stage of STAGES) {
    lines.push(`| ${STAGES.indexOf(stage) + 1} ${STAGE_LABELS[stage]} | ${renderProduces(run, stage)} |`);
  }
  lines.push('');
  if (run.request.docsUrls.length > 0) {
    lines.push('**API documentation you linked** (research starts there):', '');
    for (const url of run.request.docsUrls) lines.push(`- <${autolinkSafe(url)}>`);
    lines.push('');
  }
  lines.push(
    [
      `Budget: up to **${formatUsd(run.budget.runUsd)}** for this run and ${formatUsd(run.budget.stageUsd)} per phase attempt;`,
      `the test phase gets up to ${run.settings.maxTestIterations} fix-and-CI iterations.`,
      'Limits are set in `.github/lakeflow-connector-bot.yml`.',
    ].join(' '),
    '',
    ...renderClamps(run.settings.clamps ?? []),
    [
      'Nothing is spent until a maintainer with write access replies **`/approve`** to start,',
      'or `/revise <changes>` to adjust the plan (e.g. `/revise tables: a, b`). `/help` lists every command.',
    ].join(' '),
  );
  return lines.join('\n');
}

function renderTablesInScope(tables: readonly string[]): string {
  const scope =
    tables.length > 0
      ? `${codeList(tables)} (from your request)`
      : 'chosen in research from what Airbyte and Fivetran cover';
  return `**Tables in scope:** ${scope}. Others found during research are listed as *Deferred Tables* for later batches.`;
}

function renderProduces(run: Run, stage: Stage): string {
  const p = connectorPaths(run.source, run.settings.layout);
  const code = (path: string): string => `\`${shortPath(path)}\``;
  switch (stage) {
    case 'research':
      return code(p.apiDoc);
    case 'auth':
      return run.extension
        ? 'skipped: the source exists'
        : `connection part of ${code(p.spec)}, ${code(p.authTest)}`;
    case 'implement':
      return `${code(p.implementation)}, ${code(p.init)}, simulator ${code(p.simulatorEndpoints)} and \`corpus/\``;
    case 'test':
      return `${code(p.testFile)}, green in Actions`;
    case 'docs_spec':
      return `${code(p.readme)}, full ${code(p.spec)}`;
    case 'package':
      return `${code(p.pyproject)}, ${code(p.mergedSource)}, wheel built in Actions`;
    default:
      return assertNever(stage);
  }
}

/** A URL fit for a `<…>` autolink: whitespace and angle brackets are percent-encoded. */
function autolinkSafe(url: string): string {
  return url.replace(
    /[\s<>]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** The settings the operator's limits lowered, so the repository sees what applies and why. */
function renderClamps(clamps: readonly string[]): string[] {
  if (clamps.length === 0) return [];
  return ['**Lowered to the limits of this bot’s operator:**', '', ...clamps.map((line) => `- ${line}`), ''];
}
