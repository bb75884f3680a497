import { mayHaveBeenApplied } from './github-errors.js';

/**
 * Octokit request options for a create that must not be sent twice by the retry plugin: a 5xx can
 * come after GitHub applied the write (a proxy timing out, a lost reply), and re-sending the POST
 * would create a duplicate comment or check run.
 */
export const NO_PLUGIN_RETRY = { request: { retries: 0 } } as const;

/**
 * Creates something that has no idempotency key on GitHub's side (a comment, a check run) exactly
 * once: `create` is sent without the retry plugin (`NO_PLUGIN_RETRY`); when it fails in a way GitHub
 * may still have applied (a 5xx, no response), `find` looks for what it created anyway and returns
 * it. Only when there is nothing (or the look-up fails too) does the create's error go up: the job
 * retries, and its next try looks first again.
 */
export async function createOnce<T>(create: () => Promise<T>, find: () => Promise<T | null>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (!mayHaveBeenApplied(error)) throw error;
    // A failed look-up says nothing new: the create's error is the one to report.
    const found = await find().catch(() => null);
    if (found === null) throw error;
    return found;
  }
}
