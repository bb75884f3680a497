import type { StageJob } from '../domain/pipeline/jobs.js';
import { STAGE_LABELS } from '../domain/pipeline/phase.js';
import { fenceUntrusted, sanitizeUntrustedText } from '../domain/sanitize/sanitize-untrusted-text.js';
import { connectorPaths } from '../domain/target-repo/connector-paths.js';
import { repositoryFacts } from '../domain/target-repo/repository-facts.js';

const LOG_EXCERPT_CHARS = 6_000;

/**
 * The first user message of a stage's agent: what to build, where every file goes, the batch's
 * table scope and mode, and, fenced as untrusted data, everything people wrote (request notes,
 * `/revise` feedback, review comments) and the last CI failure. Pure: the same job gives the same text.
 */
export function buildStageContext(job: StageJob): string {
  const paths = connectorPaths(job.source, job.layout);
  const lines = [
    `# Phase: ${STAGE_LABELS[job.stage]} (batch ${job.batch}, attempt ${job.attempt})`,
    '',
    `Source: \`${job.source}\`. Branch: \`${job.branch}\`. Mode: **${job.mode}**` +
      (job.mode === 'create'
        ? ' (a new connector).'
        : ' (keep everything earlier batches built; add to it).'),
    '',
    job.tables.length > 0
      ? `Tables in scope for this batch: ${job.tables.map((table) => `\`${table}\``).join(', ')}.`
      : 'No tables were requested: choose the most important ones (3–8), list the rest under **Deferred Tables**.',
    job.completedTables.length > 0
      ? `Tables built in earlier batches (must keep working): ${job.completedTables.map((table) => `\`${table}\``).join(', ')}.`
      : '',
    '',
    '## Paths',
    ...Object.entries(paths).map(([name, path]) => `- ${name}: \`${path}\``),
    '',
    ...repositoryFacts(),
  ];
  if (job.docsUrls.length > 0) {
    lines.push(
      '',
      '## Documentation links from the request',
      fenceUntrusted('list of links', job.docsUrls.join('\n')),
    );
  }
  if (job.notes.trim() !== '') {
    lines.push(
      '',
      '## Notes from the request',
      fenceUntrusted('request text', sanitizeUntrustedText(job.notes)),
    );
  }
  for (const [index, item] of job.feedback.entries()) {
    const where = item.path === null ? '' : ` on \`${item.path}\``;
    const label = item.origin === 'review' ? `review comment${where}` : '/revise feedback';
    lines.push(
      '',
      `## Feedback ${index + 1}: ${label} by @${item.author}`,
      fenceUntrusted(label, sanitizeUntrustedText(item.text)),
    );
  }
  if (job.ciFailure !== null) {
    const failing = job.ciFailure.tests.filter(
      (test) => test.outcome === 'failed' || test.outcome === 'error',
    );
    lines.push(
      '',
      '## The last CI run failed',
      ...failing.map((test) => `- \`${test.name}\`: ${test.message ?? 'failed'}`),
    );
    lines.push(
      '',
      fenceUntrusted(
        'CI log excerpt',
        sanitizeUntrustedText(job.ciFailure.logExcerpt.slice(-LOG_EXCERPT_CHARS)),
      ),
    );
  }
  lines.push('', 'When every file is written, call `submit` with your report.');
  return lines.filter((line, index, all) => !(line === '' && all[index - 1] === '')).join('\n');
}
