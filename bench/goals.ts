/** The figures `npm run bench` writes (`bench/results.json`); a section is absent until measured. */
export interface BenchResults {
  machine: string;
  ack?: {
    rate: number;
    p50_ms: number;
    p99_ms: number;
    bare_probot_p99_ms: number;
    ratio_p99: number;
    /** The median over rounds of each round's ratio (see `AckFigures`). */
    median_round_ratio_p99?: number;
    status_202: number;
    /** The same against a `ROLE=web` process with a `ROLE=worker` process beside it. */
    web_role?: { ratio_p99: number; median_round_ratio_p99?: number; status_202: number };
  };
  orchestration?: {
    overhead_s: number;
    overhead_per_phase_s?: number;
    /** What the run's writes alone take at GitHub's pace (see `SingleRunBench`). */
    write_pacing_floor_s?: number;
    github_calls_per_phase: number;
    plans_for_50_s: number | null;
  };
  concurrency?: {
    runs: number;
    rss_mb: number | null;
    redis_mb: number;
    runs_per_min: number;
    /** The same runs with a second (`ROLE=worker`) process. */
    two_processes?: { rss_mb: number | null; redis_mb: number; runs_per_min: number };
  };
  cache?: {
    requests: number;
    uncached_input_fraction: number;
    long_loop_uncached_fraction: number;
    usd_per_connector: number;
  };
}

/** One performance goal and whether the figures meet it (`null`: not measured). */
export interface GoalCheck {
  goal: string;
  figure: string;
  met: boolean | null;
}

/** The goals the benchmark is held to, checked against `results`. */
export function checkGoals(results: BenchResults): GoalCheck[] {
  const { ack, orchestration, concurrency, cache } = results;
  const check = (goal: string, figure: string | undefined, met: boolean | undefined): GoalCheck => ({
    goal,
    figure: figure ?? 'not measured',
    met: met ?? null,
  });
  return [
    check(
      'ack p99 ≤ 1.3 × bare Probot at 200/s, GitHub at 300 ms',
      ack && `${ack.ratio_p99} ×${roundsNote(ack.median_round_ratio_p99)}`,
      ack && ack.ratio_p99 <= 1.3,
    ),
    check(
      'the same with ROLE=web and a ROLE=worker process',
      ack?.web_role && `${ack.web_role.ratio_p99} ×${roundsNote(ack.web_role.median_round_ratio_p99)}`,
      ack?.web_role && ack.web_role.ratio_p99 <= 1.3,
    ),
    check(
      'no delivery answered 202',
      ack && String(ack.status_202 + (ack.web_role?.status_202 ?? 0)),
      ack && ack.status_202 + (ack.web_role?.status_202 ?? 0) === 0,
    ),
    check(
      'orchestration overhead ≤ 3 s',
      orchestration &&
        `${orchestration.overhead_s} s${orchestration.overhead_per_phase_s === undefined ? '' : ` (${orchestration.overhead_per_phase_s} s per phase)`}${orchestration.write_pacing_floor_s === undefined ? '' : `; the writes alone take ≥ ${orchestration.write_pacing_floor_s} s at GitHub's pace`}`,
      orchestration && orchestration.overhead_s <= 3,
    ),
    check(
      '≤ 8 GitHub calls per phase',
      orchestration && String(orchestration.github_calls_per_phase),
      orchestration && orchestration.github_calls_per_phase <= 8,
    ),
    check(
      `${concurrency?.runs ?? 50} concurrent runs in ≤ 300 MB RSS`,
      concurrency && `${concurrency.rss_mb ?? '?'} MB`,
      concurrency && concurrency.rss_mb !== null && concurrency.rss_mb <= 300,
    ),
    check(
      'uncached input ≤ 30 % (Brightdesk replay)',
      cache && `${Math.round(cache.uncached_input_fraction * 100)} %`,
      cache && cache.uncached_input_fraction <= 0.3,
    ),
    check(
      'uncached input ≤ 10 % (60-turn loop)',
      cache && `${Math.round(cache.long_loop_uncached_fraction * 100)} %`,
      cache && cache.long_loop_uncached_fraction <= 0.1,
    ),
  ];
}

function roundsNote(medianRatio: number | undefined): string {
  return medianRatio === undefined ? '' : ` (median of the rounds: ${medianRatio} ×)`;
}

/** The goals as a Markdown table. */
export function renderGoals(checks: readonly GoalCheck[]): string {
  return [
    '| goal | measured | met |',
    '|---|---|---|',
    ...checks.map(
      (check) =>
        `| ${check.goal} | ${check.figure} | ${check.met === null ? '—' : check.met ? 'yes' : 'no'} |`,
    ),
  ].join('\n');
}
