import { z } from 'zod';

/** The seven phases of a connector run, in pipeline order (docs/architecture.md, Phases). */
export const PHASES = ['research', 'auth', 'implement', 'test', 'docs', 'spec', 'package'] as const;
export type Phase = (typeof PHASES)[number];
export const Phase = z.enum(PHASES);

/**
 * A stage is what the run executes as one job and gates as one unit. Every phase is its own stage
 * except `docs` and `spec`, which run in parallel as the `docs_spec` stage and share one gate.
 */
export const STAGES = ['research', 'auth', 'implement', 'test', 'docs_spec', 'package'] as const;
export type Stage = (typeof STAGES)[number];
export const Stage = z.enum(STAGES);

/** The phases each stage runs. */
export const STAGE_PHASES: Readonly<Record<Stage, readonly Phase[]>> = {
  research: ['research'],
  auth: ['auth'],
  implement: ['implement'],
  test: ['test'],
  docs_spec: ['docs', 'spec'],
  package: ['package'],
};

/** Human label of a stage, as the status checklist shows it. */
export const STAGE_LABELS: Readonly<Record<Stage, string>> = {
  research: 'research',
  auth: 'auth',
  implement: 'implement',
  test: 'test & fix',
  docs_spec: 'docs ∥ spec',
  package: 'package',
};

/** The stage a phase belongs to (`docs` and `spec` both map to `docs_spec`). */
export function stageOfPhase(phase: Phase): Stage {
  return phase === 'docs' || phase === 'spec' ? 'docs_spec' : phase;
}

/** The stage after `stage` in pipeline order, or `null` after `package`. */
export function nextStage(stage: Stage): Stage | null {
  const index = STAGES.indexOf(stage);
  return STAGES[index + 1] ?? null;
}
