import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchAck } from './ack.js';
import { benchCache } from './cache.js';
import { benchFleet } from './fleet.js';
import { type BenchResults, checkGoals, renderGoals } from './goals.js';
import { benchSingleRun } from './orchestration.js';

/**
 * `npm run bench [-- --only ack,orchestration,concurrency,cache] [-- --ack-seconds 20] [-- --minutes 8]`:
 * measures the bot on this machine against local Redis and the fakes (real app processes, real
 * BullMQ workers, production Octokit), prints the figures and the goals, and writes
 * `bench/results.json` (sections not run keep their earlier figures). Not part of `npm test`.
 */
const SECTIONS = ['ack', 'orchestration', 'concurrency', 'cache'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'ack-seconds': { type: 'string', default: '20' },
    'ack-rate': { type: 'string', default: '200' },
    minutes: { type: 'string', default: '8' },
    runs: { type: 'string', default: '50' },
  },
});
const only = (values.only ?? SECTIONS.join(',')).split(',').map((name) => name.trim());
const unknown = only.filter((name) => !(SECTIONS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`bench: unknown section ${unknown.join(', ')}; sections are ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const numbers = {
  ackSeconds: Number(values['ack-seconds']),
  ackRate: Number(values['ack-rate']),
  minutes: Number(values.minutes),
  runs: Number(values.runs),
};
for (const [name, value] of Object.entries(numbers)) {
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`bench: ${name} must be a positive number`);
    process.exit(2);
  }
}
const wants = (section: Section) => only.includes(section);
const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url));
const logDir = await mkdtemp(join(tmpdir(), 'bench-'));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const earlier = await readFile(resultsPath, 'utf8')
  .then((text) => JSON.parse(text) as BenchResults)
  .catch(() => null);
const results: BenchResults & Record<string, unknown> = { ...earlier, machine };
const say = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

if (wants('ack')) {
  say(`ack: ${numbers.ackRate}/s for ${numbers.ackSeconds} s per kind, GitHub at 300 ms…`);
  results.ack = await benchAck({
    rate: numbers.ackRate,
    seconds: numbers.ackSeconds,
    latencyMs: 300,
    logDir,
  });
}
let plans: number | null | undefined;
if (wants('concurrency')) {
  say(`concurrency: ${numbers.runs} runs at once, one process, up to ${numbers.minutes} min…`);
  const one = await benchFleet({ runs: numbers.runs, extraWorkers: 0, minutes: numbers.minutes, logDir });
  say(`concurrency: ${numbers.runs} runs at once, the app and one more worker process…`);
  const two = await benchFleet({ runs: numbers.runs, extraWorkers: 1, minutes: numbers.minutes, logDir });
  plans = one.plans_s;
  results.concurrency = { ...one, two_processes: two };
}
if (wants('orchestration')) {
  say('orchestration: one full two-batch run with instant fakes…');
  const single = await benchSingleRun(logDir);
  const previous = earlier?.orchestration?.plans_for_50_s ?? null;
  results.orchestration = { ...single, plans_for_50_s: plans === undefined ? previous : plans };
}
if (wants('cache')) {
  say('cache: the Brightdesk replay and a 60-turn loop through the caching fake…');
  results.cache = { ...(await benchCache()) };
}

await writeFile(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${JSON.stringify(results, null, 2)}\n\n${renderGoals(checkGoals(results))}\n`);
console.log(`machine: ${machine}\nwritten to ${resultsPath}; app logs in ${logDir}`);
process.exit(0);
