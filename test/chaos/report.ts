import type { ScenarioResult } from './scenarios.js';

/** The suite's totals, as the one summary line reports them. */
export interface ChaosTotals {
  runs: number;
  ended: number;
  duplicates: number;
  stuck: number;
  manual: number;
}

export function chaosTotals(results: readonly ScenarioResult[]): ChaosTotals {
  const sum = (pick: (result: ScenarioResult) => number) =>
    results.reduce((total, result) => total + pick(result), 0);
  return {
    runs: sum((result) => result.runs),
    ended: sum((result) => result.done + result.failedWithReply),
    duplicates: sum((result) => result.tally.total),
    stuck: sum((result) => result.stuck),
    manual: sum((result) => result.manual),
  };
}

/** `chaos: <runs> runs, <ended> ended, <duplicates> duplicates, <stuck> stuck, <manual> manual` */
export function summaryLine(totals: ChaosTotals): string {
  return `chaos: ${totals.runs} runs, ${totals.ended} ended, ${totals.duplicates} duplicates, ${totals.stuck} stuck, ${totals.manual} manual`;
}

/** The figures as a Markdown table, one row per scenario (the README quotes it). */
export function renderTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((result) => {
    const d = result.tally.duplicates;
    const blows = result.strikes
      ? `${result.strikes.fired.length} fired${result.strikes.missed.length > 0 ? `, ${result.strikes.missed.length} not reached` : ''}`
      : result.faults.github + result.faults.model > 0
        ? `${result.faults.github} GitHub (${result.faults.githubAfterWrite} after the write), ${result.faults.model} model`
        : result.late.sent > 0
          ? `${result.late.sent} late commands, ${result.late.answered} answered`
          : '—';
    return `| ${result.name} | ${result.runs} | ${result.done} | ${result.failedWithReply} | ${result.stuck} | ${result.manual} | ${blows} | ${d.commits}/${d.comments}/${d.checkRuns}/${d.pulls}/${d.ciDispatches} | ${result.tally.unfinishedCheckRuns} | ${result.tally.commits}/${result.tally.comments}/${result.tally.checkRuns}/${result.tally.ciDispatches} | ${result.seconds} |`;
  });
  return [
    '| scenario | runs | done | failed, with a reply | stuck | manual | blows | duplicates (commits/comments/checks/PRs/CI) | checks left open | writes (commits/comments/checks/CI) | s |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
