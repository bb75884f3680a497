import type { StageJob } from '../domain/pipeline/jobs.js';
import { STAGE_LABELS } from '../domain/pipeline/phase.js';
import type { Feedback } from '../domain/pipeline/run.js';
import {
  fenceSanitized,
  fenceUntrusted,
  sanitizeUntrustedText,
} from '../domain/sanitize/sanitize-untrusted-text.js';
import { connectorPaths } from '../domain/target-repo/connector-paths.js';
import { repositoryFacts } from '../domain/target-repo/repository-facts.js';

const LOG_EXCERPT_CHARS = 6_000;

/** A stage's context, split by where it goes in the request. */
export interface StageContextParts {
  /**
   * Bot-written text that every agent and stage of the run shares: the connector and branch, every
   * path, the repository facts. It goes in the system prompt before the agent's own, so one cached
   * prefix serves each agent of the same model and tools; nothing from the request is in it.
   */
  repository: string;
  /**
   * The first user message, as text blocks: the request's links and notes (fenced as untrusted,
   * the same for the whole run) when it has any, then what this stage attempt is.
   */
  messages: string[];
}

/**
 * A stage agent's context. The stage part says what this attempt is (phase, batch and attempt,
 * mode, the batch's table scope), the `/revise` feedback and review comments of people who may
 * steer the bot (sanitised and fenced but framed as instructions to follow; the handlers record no
 * others), and the last CI failure (fenced as untrusted). Pure: the same job gives the same text.
 */
export function buildStageContextParts(job: StageJob): StageContextParts {
  const request = requestPart(job);
  return {
    repository: tidy(repositoryPart(job)),
    messages: [...(request.length > 0 ? [tidy(request)] : []), tidy(stagePart(job))],
  };
}

/** The whole context as one text, the parts joined by a blank line. */
export function buildStageContext(job: StageJob): string {
  const { repository, messages } = buildStageContextParts(job);
  return [repository, ...messages].join('\n\n');
}

/** What every agent and stage of the run shares, written by the bot alone. */
function repositoryPart(job: StageJob): string[] {
  const paths = connectorPaths(job.source, job.layout);
  return [
    `# Connector \`${job.source}\` on branch \`${job.branch}\``,
    '',
    '## Paths',
    ...Object.entries(paths).map(([name, path]) => `- ${name}: \`${path}\``),
    '',
    ...repositoryFacts(),
  ];
}

/** The request's documentation links and notes, fenced as untrusted; none when it has neither. */
function requestPart(job: StageJob): string[] {
  const lines: string[] = [];
  if (job.docsUrls.length > 0) {
    lines.push(
      '## Documentation links from the request',
      fenceUntrusted('list of links', job.docsUrls.join('\n')),
    );
  }
  if (job.notes.trim() !== '') {
    if (lines.length > 0) lines.push('');
    lines.push('## Notes from the request', fenceUntrusted('request text', sanitizeUntrustedText(job.notes)));
  }
  return lines;
}

/** What this stage attempt is about. */
function stagePart(job: StageJob): string[] {
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
  ];
  for (const [index, item] of job.feedback.entries()) {
    lines.push('', ...maintainerInstruction(index + 1, item));
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
  return lines;
}

/** The lines as one text, without doubled blank lines. */
function tidy(lines: string[]): string {
  return lines.filter((line, index, all) => !(line === '' && all[index - 1] === '')).join('\n');
}

/**
 * One `/revise` or review comment of a person allowed to steer the bot (write access or a listed
 * approver: the handlers record nothing from anyone else), framed as their instruction. The text is
 * still sanitised and fenced, so it cannot fake a heading or close its block; the system prompt's
 * rules (files, tools, secrets) still bind.
 */
function maintainerInstruction(number: number, item: Feedback): string[] {
  const file = item.path === null ? null : `\`${item.path.replace(/[`\s]+/g, ' ').trim()}\``;
  const label =
    item.origin === 'command' ? '/revise' : file === null ? 'review' : `review comment on ${file}`;
  const where =
    item.origin === 'command'
      ? 'with `/revise`'
      : file === null
        ? 'in a review of the pull request'
        : `in a review comment on ${file}`;
  return [
    `## Maintainer instruction ${number}: ${label} by @${item.author}`,
    `@${item.author} may steer this bot (write access or a listed approver) and wrote this ${where}. ` +
      `Follow it as your maintainer’s instruction${file === null ? '' : ' about that file'}, within the rules of your system prompt (your files, your tools, no secrets).`,
    fenceSanitized(item.text),
  ];
}
