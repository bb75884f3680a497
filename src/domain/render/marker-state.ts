import type { CiFailure, Run, StageRecord } from '../pipeline/run.js';
import { redactPastedCredentials } from '../sanitize/pasted-credentials.js';
import { redactSecrets } from '../sanitize/secret-scan.js';

/**
 * What the state marker keeps of a run. The marker is base64 on a public comment, so anyone can
 * decode it and `redactSecrets` on the posted comment cannot see into it: everything in it is
 * redacted here, before encoding, and what people or CI wrote at length never goes in.
 *
 * - Left out: queued feedback (`/revise` text and review comments, read by the next stage run; the
 *   comments stay on GitHub), held stage results (lost only with the rest of Redis, their jobs'
 *   records included, so those jobs run again when asked and find their commits) and, of the last
 *   CI failure, the test messages and the log excerpt.
 * - Kept, redacted line by line (`redactPastedCredentials`): the request notes, which the agents of
 *   every later stage read, the failure reason and the stage notes.
 * - Kept, redacted: the failed tests' names, the documentation links.
 * - Kept as they are: names, numbers, shas, settings and states, which a person cannot write freely.
 *
 * A run rebuilt from the marker goes on without the feedback and the CI output; the next CI run
 * brings new ones.
 */
export function buildMarkerState(run: Run): Run {
  const { heldResults: _held, ...kept } = run;
  return {
    ...kept,
    request: {
      ...run.request,
      docsUrls: run.request.docsUrls.map(redactSecrets),
      notes: redactPastedCredentials(run.request.notes),
    },
    status:
      run.status.kind === 'failed'
        ? { ...run.status, reason: redactPastedCredentials(run.status.reason) }
        : run.status,
    batch: {
      ...run.batch,
      stages: Object.fromEntries(
        Object.entries(run.batch.stages).map(([stage, record]) => [stage, redactStageRecord(record)]),
      ) as Run['batch']['stages'],
    },
    feedback: [],
    lastCiFailure: run.lastCiFailure === null ? null : redactCiFailure(run.lastCiFailure),
  };
}

function redactStageRecord(record: StageRecord): StageRecord {
  return record.note === null ? record : { ...record, note: redactPastedCredentials(record.note) };
}

/** The failure's run and which tests failed, without what they printed. */
function redactCiFailure(failure: CiFailure): CiFailure {
  return {
    runKey: failure.runKey,
    url: failure.url,
    tests: failure.tests.map((test) => ({ ...test, name: redactSecrets(test.name), message: null })),
    logExcerpt: '',
  };
}
