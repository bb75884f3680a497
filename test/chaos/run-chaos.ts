import { mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chaosTotals, renderTable, summaryLine } from './report.js';
import { chaosScenarios, runScenario, type ScenarioResult } from './scenarios.js';

/**
 * `npm run chaos [-- --short] [-- --only <scenario>]`: full runs through the real app process, real
 * Redis and BullMQ, the fake GitHub, Actions (real pytest) and Messages API, while the app is
 * killed, its Redis wiped, its webhooks replayed or its calls failed. Prints a table and the
 * summary line; exits 1 when any run is stuck or any write was duplicated.
 */
const { values } = parseArgs({
  options: { short: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const logDir = await mkdtemp(join(tmpdir(), 'chaos-'));
const scenarios = chaosScenarios(values.short ?? false).filter(
  (scenario) => values.only === undefined || scenario.name === values.only,
);
// Each scenario has its own fakes, app process and Redis prefix, and mostly waits (GitHub's write
// pacing, lock expiry after a kill): they run side by side.
console.log(
  `${new Date().toISOString()} ${scenarios.map((scenario) => `${scenario.name} (${scenario.runs})`).join(', ')}…`,
);
const results: ScenarioResult[] = await Promise.all(
  scenarios.map((scenario) => runScenario(scenario, logDir)),
);
for (const result of results) {
  console.log(`${result.name}:`);
  for (const outcome of result.outcomes)
    console.log(`  ${outcome.repo}: ${outcome.end}${outcome.detail ? ` (${outcome.detail})` : ''}`);
  if (result.strikes?.missed.length) console.log(`  not reached: ${result.strikes.missed.join('; ')}`);
}
const totals = chaosTotals(results);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
await writeFile(join(logDir, 'results.json'), `${JSON.stringify({ machine, totals, results }, null, 2)}\n`);
console.log(`\n${renderTable(results)}\n\nmachine: ${machine}; app logs and results.json in ${logDir}\n`);
console.log(summaryLine(totals));
process.exit(totals.duplicates > 0 || totals.stuck > 0 ? 1 : 0);
