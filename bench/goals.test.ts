import { describe, expect, it } from 'vitest';
import { checkGoals, renderGoals } from './goals.js';

describe('benchmark goals', () => {
  it('marks each goal met, missed or not measured', () => {
    const checks = checkGoals({
      machine: 'test',
      ack: {
        rate: 200,
        p50_ms: 2,
        p99_ms: 6,
        bare_probot_p99_ms: 5,
        ratio_p99: 1.2,
        median_round_ratio_p99: 1.1,
        status_202: 1,
      },
      cache: {
        requests: 45,
        uncached_input_fraction: 0.41,
        long_loop_uncached_fraction: 0.05,
        usd_per_connector: 3,
      },
    });
    const met = Object.fromEntries(checks.map((check) => [check.goal, check.met]));

    expect(met['ack p99 ≤ 1.3 × bare Probot at 200/s, GitHub at 300 ms']).toBe(true);
    expect(met['no delivery answered 202']).toBe(false);
    expect(met['orchestration overhead ≤ 3 s']).toBeNull();
    expect(met['uncached input ≤ 30 % (Brightdesk replay)']).toBe(false);
    expect(met['uncached input ≤ 10 % (60-turn loop)']).toBe(true);
    expect(renderGoals(checks)).toContain('| 1.2 × (median of the rounds: 1.1 ×) | yes |');
    expect(renderGoals(checks)).toContain('| uncached input ≤ 30 % (Brightdesk replay) | 41 % | no |');
  });

  it('shows the floor the write pacing puts under the overhead', () => {
    const [overhead] = checkGoals({
      machine: 'test',
      orchestration: {
        overhead_s: 108.2,
        overhead_per_phase_s: 9,
        write_pacing_floor_s: 114,
        github_calls_per_phase: 19.3,
        plans_for_50_s: null,
      },
    }).filter((check) => check.goal === 'orchestration overhead ≤ 3 s');

    expect(overhead).toEqual({
      goal: 'orchestration overhead ≤ 3 s',
      figure: "108.2 s (9 s per phase); the writes alone take ≥ 114 s at GitHub's pace",
      met: false,
    });
  });
});
