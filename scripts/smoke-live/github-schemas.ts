import { z } from 'zod';

/**
 * The fields of GitHub's answers the smoke test reads, and nothing else. Each names the endpoint
 * whose body it parses.
 */

/** GET /app (App JWT). */
export const AuthenticatedApp = z.object({ slug: z.string().min(1) });

/** GET /repos/{owner}/{repo}/installation (App JWT). */
export const RepoInstallation = z.object({ id: z.number().int().positive() });

/** GET /user (the person's token). */
export const AuthenticatedUser = z.object({ login: z.string().min(1) });

/** GET /repos/{owner}/{repo}/collaborators/{username}/permission. */
export const CollaboratorPermission = z.object({ permission: z.string(), role_name: z.string().optional() });

/** POST /repos/{owner}/{repo}/issues and POST …/issues/{issue_number}/comments. */
export const Created = z.object({ number: z.number().int().positive().optional(), html_url: z.string() });

/** One page of GET /repos/{owner}/{repo}/issues/{issue_number}/comments. */
export const IssueComments = z.array(
  z.object({
    id: z.number().int(),
    body: z.string().nullish(),
    user: z.object({ login: z.string() }).nullable(),
    created_at: z.string(),
  }),
);
export type IssueComment = z.infer<typeof IssueComments>[number];

/** GET /repos/{owner}/{repo}/git/ref/{ref}. */
export const GitRef = z.object({ object: z.object({ sha: z.string() }) });

/** GET /repos/{owner}/{repo}/contents/{path}: a file, or a folder's listing. */
export const Contents = z.union([z.object({ type: z.string() }), z.array(z.unknown())]);
