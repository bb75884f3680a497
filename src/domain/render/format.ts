import type { CiRunRecord, Run, Usage } from '../pipeline/run.js';

/** Money as comments show it: `$2.94`. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** A duration as `3m 10s`, or `1h 05m` from an hour on. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds >= 3600) {
    const minutes = Math.floor(seconds / 60);
    return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
  }
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** A token count: `950`, `412k`, `1.2M`. */
export function formatTokens(count: number): string {
  const thousands = Math.round(count / 1000);
  if (count < 1000) return String(count);
  if (thousands < 1000) return `${thousands}k`;
  return `${(Math.round(count / 100_000) / 10).toString()}M`;
}

/** `412k input tokens (81% from cache) · 38k output`, or null when nothing was used yet. */
export function formatTokenUse(usage: Usage): string | null {
  const input = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  if (input === 0 && usage.outputTokens === 0) return null;
  const cached = input === 0 ? 0 : Math.round((usage.cacheReadTokens / input) * 100);
  return `${formatTokens(input)} input tokens (${cached}% from cache) · ${formatTokens(usage.outputTokens)} output`;
}

/**
 * Text from outside the bot (request fields, test names, CI messages) made inert in markdown:
 * `<` and `>` become entities, so it can open no HTML tag and no hidden comment (no fake marker).
 */
export function escapeHtml(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Like `escapeHtml`, and fit for one table cell: no pipes, no line breaks, at most `max` characters. */
export function escapeCell(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return escapeHtml(cut).replace(/\|/g, '\\|');
}

/** Text in a code span, where markdown and HTML are inert; a backtick or line break inside cannot end it. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\s+/g, ' ')}\``;
}

/** A list of names in code spans: `` `a`, `b` ``. */
export function codeList(names: readonly string[]): string {
  return names.map(code).join(', ');
}

/** `[a1b2c3d](<repo>/commit/<sha>)`. */
export function commitLink(repoUrl: string, sha: string): string {
  return `[${sha.slice(0, 7)}](${repoUrl}/commit/${sha})`;
}

/** Web URL of a branch; each segment is encoded, slashes are kept. */
export function branchUrl(repoUrl: string, branch: string): string {
  return `${repoUrl}/tree/${branch.split('/').map(encodeURIComponent).join('/')}`;
}

const CI_WORDS: Readonly<Record<CiRunRecord['conclusion'], string>> = {
  pending: 'running',
  success: 'green',
  failure: 'red',
  cancelled: 'cancelled',
  timed_out: 'timed out',
};

/** `[#901](…) red, [#902](…) green`: the run id from an Actions URL, else `run N`; no link without a URL. */
export function formatCiRuns(runs: readonly CiRunRecord[]): string {
  return runs
    .map((run, index) => {
      const id = run.url === null ? null : /\/runs\/(\d+)/.exec(run.url)?.[1];
      const label = id ? `#${id}` : `run ${index + 1}`;
      const text = run.url === null ? label : `[${label}](${run.url})`;
      return `${text} ${CI_WORDS[run.conclusion]}`;
    })
    .join(', ');
}

/** `batch 1 of 2`; later batches are estimated from the deferred tables and the batch size. */
export function renderBatchLabel(run: Run): string {
  const total = run.batch.number + Math.ceil(run.deferredTables.length / run.settings.maxTablesPerBatch);
  return total > 1 ? `batch ${run.batch.number} of ${total}` : `batch ${run.batch.number}`;
}
