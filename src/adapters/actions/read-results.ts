import {
  MAX_REGENERATED_SOURCE_BYTES,
  mergedSourcePath,
  RESULTS_FILES,
  ResultsSummary,
} from '../../domain/ci/results-artifact.js';
import { DEFAULT_LAYOUT, type TargetLayout } from '../../domain/target-repo/layout.js';
import { InvariantError } from '../../errors.js';
import type { CiResults } from '../../ports/ci.js';
import { buildLogExcerpt } from './build-log-excerpt.js';
import { parseJunitXml } from './parse-junit.js';

const decoder = new TextDecoder('utf-8');
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the unpacked results artifact (`path → bytes`, see `domain/ci/results-artifact.ts`):
 * `summary.json` must be there and valid; `junit.xml` must be there when the summary says pytest
 * ran (passed or failed); `logs/*.txt` become the excerpt; in `package` mode the regenerated merged
 * source of the summary's `source` (only `generated/<its exact path>`; anything else under
 * `generated/` is ignored and never committed). Throws an `InvariantError` saying which file is
 * missing or wrong: the workflow or the artifact is broken, and reading again cannot help. `layout`
 * places the merged source (the upstream layout, which the bot's workflow uses, when absent).
 */
export function readResults(
  files: ReadonlyMap<string, Uint8Array>,
  layout: TargetLayout = DEFAULT_LAYOUT,
): CiResults {
  const summary = readSummary(files.get(RESULTS_FILES.summary));
  const junit = files.get(RESULTS_FILES.junit);
  const pytest = summary.gates.pytest;
  if (junit === undefined && (pytest === 'passed' || pytest === 'failed')) {
    throw new InvariantError(
      `The results artifact has no ${RESULTS_FILES.junit}, although ${RESULTS_FILES.summary} says pytest ${pytest}: check the workflow's pytest step (--junitxml) and its upload step.`,
    );
  }
  const logs = new Map<string, string>();
  for (const [path, data] of files) {
    const name = /^logs\/([\w.-]+)\.txt$/.exec(path)?.[1];
    if (name !== undefined) logs.set(name, decoder.decode(data));
  }
  const regenerated = readRegenerated(files, summary, layout);
  return {
    tests: junit === undefined ? [] : parseJunitXml(decoder.decode(junit)),
    gates: summary.gates,
    logExcerpt: buildLogExcerpt(logs, summary.gates),
    ...(regenerated === undefined ? {} : { regeneratedMergedSource: regenerated }),
  };
}

/** The regenerated merged source of the run's source, if the artifact holds one (package mode). */
function readRegenerated(
  files: ReadonlyMap<string, Uint8Array>,
  summary: ResultsSummary,
  layout: TargetLayout,
): { path: string; content: string } | undefined {
  if (summary.mode !== 'package') return undefined;
  const path = mergedSourcePath(summary.source, layout);
  const name = `${RESULTS_FILES.generatedDir}${path}`;
  const data = files.get(name);
  if (data === undefined) return undefined;
  if (data.byteLength > MAX_REGENERATED_SOURCE_BYTES) {
    throw new InvariantError(
      `The results artifact's ${name} is ${Math.ceil(data.byteLength / 1024)} KB; the bot commits a merged source of at most ${MAX_REGENERATED_SOURCE_BYTES / 1024 / 1024} MB. Check the merge script's output.`,
    );
  }
  let content: string;
  try {
    content = strictDecoder.decode(data);
  } catch (error) {
    throw new InvariantError(`The results artifact's ${name} is not UTF-8 text.`, { cause: error });
  }
  if (content.includes('\0'))
    throw new InvariantError(`The results artifact's ${name} is not text (it holds NUL bytes).`);
  return { path, content };
}

function readSummary(data: Uint8Array | undefined): ResultsSummary {
  const name = RESULTS_FILES.summary;
  if (data === undefined) {
    throw new InvariantError(
      `The results artifact has no ${name}: the workflow's last step did not run, or it is not the bot's workflow.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch (error) {
    throw new InvariantError(`The results artifact's ${name} is not valid JSON.`, { cause: error });
  }
  const parsed = ResultsSummary.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new InvariantError(
      `The results artifact's ${name} is not in the expected format (${problems.join('; ')}); is the workflow file up to date?`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
