import { assertNever } from '../assert-never.js';
import type { Stage } from '../pipeline/phase.js';
import { verifyAuth } from './auth.js';
import { verifyDocsSpec } from './docs-spec.js';
import { verifyImplement } from './implement.js';
import { verifyPackage } from './package.js';
import { verifyResearch } from './research.js';
import { verifyTest } from './test-stage.js';
import type { VerifyInput, VerifyResult } from './types.js';

export type { VerifyInput, VerifyResult } from './types.js';
export { verifyAuth, verifyDocsSpec, verifyImplement, verifyPackage, verifyResearch, verifyTest };

/** Checks a stage's committed files (never the model's claims) and returns the facts they show, or the problems. */
export function verifyStage(stage: Stage, input: VerifyInput): VerifyResult {
  switch (stage) {
    case 'research':
      return verifyResearch(input);
    case 'auth':
      return verifyAuth(input);
    case 'implement':
      return verifyImplement(input);
    case 'test':
      return verifyTest(input);
    case 'docs_spec':
      return verifyDocsSpec(input);
    case 'package':
      return verifyPackage(input);
    default:
      return assertNever(stage);
  }
}
