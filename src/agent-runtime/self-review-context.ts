import type { SelfReviewJob } from '../domain/pipeline/jobs.js';
import { RUBRIC } from '../domain/review/rubric.js';
import { connectorPaths } from '../domain/target-repo/connector-paths.js';

/**
 * The first user message of the self-reviewer: what to review at which commit, where every file
 * is, and the rubric's check ids with their severities (the ids `submit` accepts). Pure.
 */
export function buildSelfReviewContext(job: SelfReviewJob): string {
  const paths = connectorPaths(job.source, job.layout);
  return [
    `# Self-review of \`${job.source}\` (batch ${job.batch}) at commit \`${job.headSha}\``,
    '',
    `Tables: ${job.tables.map((table) => `\`${table}\``).join(', ') || '(none listed)'}.`,
    '',
    '## Paths',
    ...Object.entries(paths).map(([name, path]) => `- ${name}: \`${path}\``),
    '',
    '## The rubric',
    '',
    'Judge every check below as `pass`, `warn` or `fail`, with a one-line finding and a `path:line` citation',
    '(required for `warn` and `fail`). Use exactly these ids; a check you leave out counts as a fail.',
    '',
    '| id | severity | check |',
    '|---|---|---|',
    ...RUBRIC.map(
      (row) => `| ${row.id} | ${row.severity} | ${row.check.replaceAll('{source}', job.source)} |`,
    ),
    '',
    'When every check is judged, call `submit` with `checks` and up to 5 `recommendations`.',
  ].join('\n');
}
