import { z } from 'zod';
import { RESULTS_ARTIFACT_NAME } from '../../domain/ci/results-artifact.js';
import { InvariantError } from '../../errors.js';
import type { CiResults } from '../../ports/ci.js';
import type { ActionsClient } from './actions-client.js';
import { readResults } from './read-results.js';
import { unpackArtifact } from './unpack-artifact.js';

/** Largest artifact zip the bot downloads. */
export const MAX_ARTIFACT_ZIP_BYTES = 20 * 1024 * 1024;

const ArtifactList = z.object({
  artifacts: z.array(
    z.object({
      id: z.number().int().positive(),
      name: z.string(),
      size_in_bytes: z.number().int().nonnegative(),
      expired: z.boolean(),
    }),
  ),
});

/**
 * Reads the results of run `runId`: finds its `lakeflow-connector-results` artifact, downloads the
 * zip (GitHub answers with a redirect to storage, which fetch follows), unpacks and reads it. Every
 * problem with the artifact is an `InvariantError` whose message says what to check; GitHub's
 * 5xx and network failures stay retryable.
 */
export async function getRunResults(client: ActionsClient, runId: number): Promise<CiResults> {
  const name = RESULTS_ARTIFACT_NAME;
  const list = await client.call(
    (octokit) =>
      octokit.rest.actions.listWorkflowRunArtifacts({
        owner: client.owner,
        repo: client.repo,
        run_id: runId,
        name,
        per_page: 100,
      }),
    (status, error) => {
      if (status !== 404) return undefined;
      throw new InvariantError(
        `The CI run ${runId} no longer exists on GitHub, so its results cannot be read.`,
        {
          cause: error,
        },
      );
    },
  );
  const parsed = ArtifactList.safeParse(list.data);
  if (!parsed.success) {
    throw new InvariantError(`Unexpected GitHub artifacts response: ${parsed.error.message}`, {
      cause: parsed.error,
    });
  }
  const artifacts = parsed.data.artifacts.filter((item) => item.name === name);
  const artifact = artifacts.find((item) => !item.expired);
  if (artifact === undefined) {
    throw new InvariantError(
      artifacts.length > 0
        ? `The \`${name}\` artifact of the CI run has expired; start a new run with \`/retry\`.`
        : `The CI run uploaded no \`${name}\` artifact: it stopped before its upload step, or the workflow file is not the one \`npx lakeflow-connector-bot init\` installs.`,
    );
  }
  if (artifact.size_in_bytes > MAX_ARTIFACT_ZIP_BYTES) throw tooLarge(artifact.size_in_bytes);
  const zip = await client.call(
    (octokit) =>
      octokit.rest.actions.downloadArtifact({
        owner: client.owner,
        repo: client.repo,
        artifact_id: artifact.id,
        archive_format: 'zip',
      }),
    (status, error) => {
      if (status !== 410 && status !== 404) return undefined;
      throw new InvariantError(
        `The \`${name}\` artifact of the CI run has expired or was deleted; start a new run with \`/retry\`.`,
        {
          cause: error,
        },
      );
    },
  );
  const bytes = toBytes(zip.data);
  if (bytes.byteLength > MAX_ARTIFACT_ZIP_BYTES) throw tooLarge(bytes.byteLength);
  return { ...readResults(unpackArtifact(bytes)), artifactId: artifact.id };
}

function tooLarge(bytes: number): InvariantError {
  return new InvariantError(
    `The \`${RESULTS_ARTIFACT_NAME}\` artifact is ${Math.ceil(bytes / 1024 / 1024)} MB; the bot reads at most ${MAX_ARTIFACT_ZIP_BYTES / 1024 / 1024} MB. Is the workflow file the one \`npx lakeflow-connector-bot init\` installs?`,
  );
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new InvariantError('The results artifact download returned no binary data.');
}
