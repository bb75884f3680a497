import { ProbotOctokit } from 'probot';
import type { z } from 'zod';
import type { SmokeCredentials } from './credentials.js';
import {
  AuthenticatedApp,
  AuthenticatedUser,
  CollaboratorPermission,
  Contents,
  Created,
  GitRef,
  type IssueComment,
  IssueComments,
  RepoInstallation,
} from './github-schemas.js';

/** What the smoke test asks GitHub, as the App (JWT) or as the person, every answer parsed. */
export interface SmokeGitHub {
  /** The App's slug (`GET /app`): its comments are by `<slug>[bot]`. */
  appSlug(): Promise<string>;
  /** The App's installation id on the repository, or `null` when it is not installed there. */
  installationId(): Promise<number | null>;
  /** The login the person's token belongs to. */
  personLogin(): Promise<string>;
  /** `login`'s permission on the repository (`admin`, `write`, `read`, …), or `null` when GitHub will not say. */
  permission(login: string): Promise<{ permission: string; role?: string } | null>;
  openIssue(title: string, body: string): Promise<{ number: number; url: string }>;
  comment(issue: number, body: string): Promise<{ url: string }>;
  /** Every comment on an issue or pull request, oldest first. */
  comments(issue: number): Promise<IssueComment[]>;
  /** Head of `branch`, or `null` when there is no such branch. */
  branchHead(branch: string): Promise<string | null>;
  /** Whether `path` is a file at `ref`. */
  fileExists(path: string, ref: string): Promise<boolean>;
}

/** The HTTP status of a failed Octokit request, if it has one. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
    ? error.status
    : undefined;
}

async function orNullOn<T>(statuses: number[], send: () => Promise<T>): Promise<T | null> {
  try {
    return await send();
  } catch (error) {
    const status = statusOf(error);
    if (status !== undefined && statuses.includes(status)) return null;
    throw error;
  }
}

/**
 * The smoke test's GitHub: the App's client authenticates with a JWT from the App's key (Probot's
 * auth strategy), the person's with their token. Writes are sent once (no retry plugin re-send), so a
 * command is never posted twice.
 */
export function createSmokeGitHub(params: {
  credentials: SmokeCredentials;
  owner: string;
  repo: string;
}): SmokeGitHub {
  const { credentials, owner, repo } = params;
  const baseUrl = credentials.apiUrl;
  const app = new ProbotOctokit({
    auth: { appId: credentials.appId, privateKey: credentials.privateKey },
    baseUrl,
  });
  const person = new ProbotOctokit({ auth: { token: credentials.personToken }, baseUrl });
  const parse = <S extends z.ZodType>(schema: S, data: unknown): z.infer<S> => schema.parse(data);
  const once = { request: { retries: 0 } };

  return {
    appSlug: async () => parse(AuthenticatedApp, (await app.request('GET /app')).data).slug,
    installationId: async () => {
      const response = await orNullOn([404], () =>
        app.request('GET /repos/{owner}/{repo}/installation', { owner, repo }),
      );
      return response === null ? null : parse(RepoInstallation, response.data).id;
    },
    personLogin: async () => parse(AuthenticatedUser, (await person.request('GET /user')).data).login,
    permission: async (username) => {
      const response = await orNullOn([403, 404], () =>
        person.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username }),
      );
      if (response === null) return null;
      const data = parse(CollaboratorPermission, response.data);
      return data.role_name === undefined
        ? { permission: data.permission }
        : { permission: data.permission, role: data.role_name };
    },
    openIssue: async (title, body) => {
      const response = await person.rest.issues.create({ owner, repo, title, body, ...once });
      const data = parse(Created, response.data);
      if (data.number === undefined) throw new Error('GitHub answered the new issue without its number');
      return { number: data.number, url: data.html_url };
    },
    comment: async (issue, body) => {
      const response = await person.rest.issues.createComment({
        owner,
        repo,
        issue_number: issue,
        body,
        ...once,
      });
      return { url: parse(Created, response.data).html_url };
    },
    comments: async (issue) =>
      parse(
        IssueComments,
        await person.paginate(person.rest.issues.listComments, {
          owner,
          repo,
          issue_number: issue,
          per_page: 100,
        }),
      ),
    branchHead: async (branch) => {
      const response = await orNullOn([404], () =>
        person.rest.git.getRef({ owner, repo, ref: `heads/${branch}` }),
      );
      return response === null ? null : parse(GitRef, response.data).object.sha;
    },
    fileExists: async (path, ref) => {
      const response = await orNullOn([404], () => person.rest.repos.getContent({ owner, repo, path, ref }));
      if (response === null) return false;
      const data = parse(Contents, response.data);
      return !Array.isArray(data) && data.type === 'file';
    },
  };
}
