import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chaosTotals, renderTable, summaryLine } from './report.js';
import { chaosScenarios, runScenario } from './scenarios.js';

/**
 * The short chaos suite CI runs (the whole one is `npm run chaos`): one run per scenario, side by
 * side, each through its own app process killed, flushed, replayed or faulted.
 */
describe('the short chaos suite', () => {
  it('ends every run with no duplicate write, no stuck run and every late command answered', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'chaos-short-'));
    const results = await Promise.all(chaosScenarios(true).map((scenario) => runScenario(scenario, logDir)));
    const totals = chaosTotals(results);
    const report = `${renderTable(results)}\n${summaryLine(totals)}\napp logs: ${logDir}`;
    console.log(report);

    expect(totals, report).toMatchObject({ ended: totals.runs, duplicates: 0, stuck: 0 });
    for (const result of results) {
      expect(result.tally.unfinishedCheckRuns, `${result.name}: check runs left open`).toBe(0);
      expect(result.late.answered, `${result.name}: late commands answered`).toBe(result.late.sent);
      expect(result.strikes?.missed ?? [], `${result.name}: strike points never reached`).toEqual([]);
    }
    const blows = results.flatMap((result) => result.strikes?.fired ?? []);
    expect(blows.length).toBeGreaterThanOrEqual(5);
    const replay = results.find((result) => result.late.sent > 0);
    expect(replay?.late.sent).toBeGreaterThan(0);
    const faulted = results.find((result) => result.faults.githubAfterWrite > 0);
    expect(faulted?.faults.model).toBeGreaterThan(0);
  }, 900_000);
});
