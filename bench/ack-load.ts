import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { deliverWebhook } from '../test/fakes/fake-github/webhooks.js';

/** One webhook delivery to send: its event name and payload. */
export interface Delivery {
  name: string;
  payload: unknown;
}

/** What one burst of deliveries measured, from send to the end of each answer. */
export const Timings = z.object({
  latencies: z.array(z.number()),
  status202: z.number().int(),
  failed: z.number().int(),
});
export type Timings = z.infer<typeof Timings>;

/** No deliveries measured yet. */
export const NO_TIMINGS: Timings = { latencies: [], status202: 0, failed: 0 };

/** The timings of two bursts together. */
export function addTimings(a: Timings, b: Timings): Timings {
  return {
    latencies: [...a.latencies, ...b.latencies],
    status202: a.status202 + b.status202,
    failed: a.failed + b.failed,
  };
}

const LoadJob = z.object({
  url: z.string(),
  secret: z.string(),
  deliveries: z.array(z.object({ name: z.string(), payload: z.unknown() })),
  rate: z.number().positive(),
  tag: z.string(),
});
type LoadJob = z.infer<typeof LoadJob>;

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Sends the deliveries to `url` at `rate` per second (on a drift-free schedule, never waiting for an
 * answer before the next send) and times each from send to the end of the answer.
 */
async function fire(job: LoadJob): Promise<Timings> {
  await warmUp(job.url, job.rate);
  const timings: Timings = { latencies: [], status202: 0, failed: 0 };
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (const [index, delivery] of job.deliveries.entries()) {
    const due = started + (index * 1_000) / job.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    inFlight.push(
      deliverWebhook({
        url: job.url,
        secret: job.secret,
        name: delivery.name,
        payload: delivery.payload,
        id: `${job.tag}-${index}`,
      }).then(
        (status) => {
          timings.latencies.push(performance.now() - sent);
          if (status === 202) timings.status202 += 1;
          else if (status < 200 || status >= 300) timings.failed += 1;
        },
        () => {
          timings.failed += 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return timings;
}

/**
 * A second of `GET /healthz` at `rate` before the timed deliveries, untimed: a fresh process's first
 * requests open its connections and compile its HTTP client, 40–80 ms each for the first dozen
 * whatever the server, which alone would make the 99th percentile of a 2,000-delivery burst.
 */
async function warmUp(webhookUrl: string, rate: number): Promise<void> {
  const healthz = new URL('/healthz', webhookUrl).toString();
  const started = performance.now();
  const sent: Promise<unknown>[] = [];
  for (let index = 0; index < rate; index += 1) {
    const wait = started + (index * 1_000) / rate - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    sent.push(
      fetch(healthz).then(
        (response) => response.arrayBuffer(),
        () => undefined,
      ),
    );
  }
  await Promise.all(sent);
}

/**
 * `fire` in a process of its own: the bench process also serves the fake GitHub the app calls (the
 * bare Probot app calls nothing), so timing from there would charge that work to the app's answers.
 */
export async function fireFromChild(
  url: string,
  secret: string,
  deliveries: readonly Delivery[],
  rate: number,
  tag: string,
): Promise<Timings> {
  const dir = await mkdtemp(join(tmpdir(), 'ack-load-'));
  try {
    const jobPath = join(dir, 'job.json');
    const outPath = join(dir, 'timings.json');
    await writeFile(jobPath, JSON.stringify({ url, secret, deliveries, rate, tag }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ack-load.ts', jobPath, outPath], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`the load generator for ${tag} exited with ${code}`);
    return Timings.parse(JSON.parse(await readFile(outPath, 'utf8')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const invoked = process.argv[1] === undefined ? '' : realpathSync(process.argv[1]);
if (invoked === fileURLToPath(import.meta.url)) {
  const [jobPath, outPath] = process.argv.slice(2);
  if (jobPath === undefined || outPath === undefined)
    throw new Error('usage: ack-load.ts <job.json> <out.json>');
  const job = LoadJob.parse(JSON.parse(await readFile(jobPath, 'utf8')));
  await writeFile(outPath, JSON.stringify(await fire(job)));
}
