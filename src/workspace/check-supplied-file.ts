import { checkPath, type PathPolicy } from '../domain/policy/path-policy.js';
import { assertNoNewSecrets, assertText } from './text-checks.js';
import { ToolError } from './tool-error.js';

/**
 * The checks an agent's write goes through, for a file the bot did not write itself (the merged
 * source CI regenerated): the stage's path policy with its fixed refusals, text only, and the
 * secret scan against the file's current content (`readOriginal`, called only for a path the policy
 * allows; `null` when the file does not exist). Returns why the file may not be committed, or
 * `null` when it may.
 */
export async function checkSuppliedFile(params: {
  policy: PathPolicy;
  path: string;
  content: string;
  readOriginal: (path: string) => Promise<string | null>;
}): Promise<string | null> {
  const checked = checkPath(params.policy, params.path);
  if (!checked.ok) return `\`${params.path}\` may not be written: ${checked.reason}`;
  try {
    assertText(checked.path, params.content);
    assertNoNewSecrets(checked.path, params.content, await params.readOriginal(checked.path));
  } catch (error) {
    if (error instanceof ToolError) return error.message;
    throw error;
  }
  return null;
}
