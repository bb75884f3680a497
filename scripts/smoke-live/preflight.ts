import type { Checklist } from './checklist.js';
import type { SmokeGitHub } from './github.js';
import { statusOf } from './github.js';
import { messageOf } from './poll.js';

/** Who and what a smoke run acts as, once the preflight passed. */
export interface Preflight {
  /** `<slug>[bot]`: the author of the bot's comments. */
  botLogin: string;
  /** The person whose token writes the request and the commands. */
  login: string;
}

/** The preflight refused: nothing was written to GitHub. */
export interface Refusal {
  refusal: string;
}

const MAY_APPROVE = new Set(['admin', 'write']);

/**
 * Checks, before anything is written, that the App is installed on the repository (with the App's
 * JWT) and that the token's person may `/approve` there; passes the first two steps or returns the
 * one line saying what is missing.
 */
export async function preflight(params: {
  github: SmokeGitHub;
  repo: string;
  apiUrl: string;
  checklist: Checklist;
}): Promise<Preflight | Refusal> {
  const { github, repo, checklist } = params;
  let slug: string;
  let installation: number | null;
  try {
    slug = await github.appSlug();
    installation = await github.installationId();
  } catch (error) {
    const status = statusOf(error);
    return {
      refusal:
        status === 401 || status === 403 || status === 404
          ? `GitHub refused the App's JWT (${status} from ${params.apiUrl}): APP_ID and PRIVATE_KEY do not belong together`
          : `GitHub could not be reached as the App at ${params.apiUrl}: ${messageOf(error)}`,
    };
  }
  if (installation === null) {
    return {
      refusal: `the App ${slug} is not installed on ${repo}: install it there (a scratch repository) and run again`,
    };
  }
  const botLogin = `${slug}[bot]`;
  checklist.pass(
    'App installed',
    `${slug} on ${repo} (installation ${installation}), comments by ${botLogin}`,
  );

  let login: string;
  let access: { permission: string; role?: string } | null;
  try {
    login = await github.personLogin();
    access = await github.permission(login);
  } catch (error) {
    const status = statusOf(error);
    return {
      refusal:
        status === 401 || status === 403
          ? `GitHub refused SMOKE_GITHUB_TOKEN (${status} on GET /user): it must be a person's token, not the App's`
          : `GitHub could not be reached with SMOKE_GITHUB_TOKEN: ${messageOf(error)}`,
    };
  }
  if (access === null || !MAY_APPROVE.has(access.permission)) {
    const has = access === null ? 'no access GitHub will show' : `${access.role ?? access.permission} access`;
    return {
      refusal: `${login} (SMOKE_GITHUB_TOKEN) has ${has} on ${repo}: /approve needs write access`,
    };
  }
  checklist.pass('person may approve', `${login} has ${access.role ?? access.permission} access on ${repo}`);
  return { botLogin, login };
}
