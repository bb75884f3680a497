import { z } from 'zod';
import { authorOf } from '../actors.js';
import type { TreeFile } from '../git-store.js';
import { json, type RouteResult } from '../route.js';
import type { RepoState } from '../state.js';
import { nodeId } from '../views.js';
import type { GraphqlMutation } from './graphql-mutations.js';

const NAME = 'createCommitOnBranch';

/** `Base64String`: standard alphabet, padded. */
const Base64 = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, {
  message: 'not a valid Base64String',
});

/** GitHub's `CreateCommitOnBranchInput` (`CommittableBranch`, `CommitMessage`, `FileChanges`). */
const Input = z.object({
  branch: z.object({
    id: z.string().nullish(),
    repositoryNameWithOwner: z.string().nullish(),
    branchName: z.string().nullish(),
  }),
  expectedHeadOid: z.string(),
  message: z.object({ headline: z.string(), body: z.string().nullish() }),
  fileChanges: z
    .object({
      additions: z.array(z.object({ path: z.string(), contents: Base64 })).nullish(),
      deletions: z.array(z.object({ path: z.string() })).nullish(),
    })
    .nullish(),
  clientMutationId: z.string().nullish(),
});
type Input = z.infer<typeof Input>;

/** A GraphQL error on the mutation's field: `data` holds `null` for it, as GitHub answers. */
function fieldError(type: string, message: string): RouteResult {
  return json(200, { data: { [NAME]: null }, errors: [{ type, path: [NAME], locations: [], message }] });
}

/** A variable GitHub's schema refuses: no `data` at all, the problem named by path. */
function invalidInput(problem: string): RouteResult {
  return json(200, {
    errors: [
      {
        message: `Variable $input of type CreateCommitOnBranchInput! was provided invalid value for ${problem}`,
        locations: [],
        extensions: { problems: [problem] },
      },
    ],
  });
}

/** The node id of a branch's ref, as the fake renders it on `GET …/git/ref/{ref}`. */
function refNodeId(repo: RepoState, ref: string): string {
  return nodeId('REF', `${repo.record.id}:${ref}`);
}

/** The repository and fully qualified ref the input's `CommittableBranch` names. */
function locate(
  input: Input,
  repos: Iterable<RepoState>,
): { repo: RepoState; ref: string } | { error: RouteResult } {
  const { id, repositoryNameWithOwner, branchName } = input.branch;
  if (id) {
    for (const repo of repos) {
      for (const ref of repo.record.git.refs.keys()) if (refNodeId(repo, ref) === id) return { repo, ref };
    }
    return { error: fieldError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`) };
  }
  if (!repositoryNameWithOwner || !branchName) {
    return {
      error: fieldError(
        'UNPROCESSABLE',
        'A branch is named either by its id or by both repositoryNameWithOwner and branchName',
      ),
    };
  }
  const repo = [...repos].find(
    (candidate) =>
      `${candidate.record.owner}/${candidate.record.repo}`.toLowerCase() ===
      repositoryNameWithOwner.toLowerCase(),
  );
  if (repo === undefined) {
    return {
      error: fieldError(
        'NOT_FOUND',
        `Could not resolve to a Repository with the name '${repositoryNameWithOwner}'.`,
      ),
    };
  }
  const ref = branchName.startsWith('refs/heads/') ? branchName : `refs/heads/${branchName}`;
  if (!repo.record.git.refs.has(ref)) {
    return { error: fieldError('NOT_FOUND', `Could not resolve to a branch named '${branchName}'.`) };
  }
  return { repo, ref };
}

/**
 * `createCommitOnBranch(input: $input)`, as GitHub documents it: the input is read from the
 * variables (an inline literal is not modelled); the branch is named by its ref's node id or by
 * `repositoryNameWithOwner` + `branchName` (with or without `refs/heads/`). A head other than
 * `expectedHeadOid` is refused with GitHub's `STALE_DATA` error and nothing is written. Otherwise
 * deletions, then additions (base64 `contents`, mode 100644 as GitHub writes them) are applied to
 * the head's tree, the commit (parent: the head; author: the credential's owner, committer GitHub as
 * for web commits; message: headline, a blank line, body) is made and the branch moved to it. Deleting a path the head lacks is refused.
 */
export const createCommitOnBranch: GraphqlMutation = {
  name: NAME,
  answer({ query, variables, context, request }) {
    const variable = new RegExp(`\\b${NAME}\\s*\\(\\s*input\\s*:\\s*\\$(\\w+)`).exec(query)?.[1];
    if (variable === undefined) {
      const message = `the fake reads ${NAME}'s input from a variable only (input: $input)`;
      return { ...json(200, { errors: [{ message, locations: [] }] }), violation: message };
    }
    const raw =
      typeof variables === 'object' && variables !== null ? Reflect.get(variables, variable) : undefined;
    const parsed = Input.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return invalidInput(`${issue?.path.join('.') || 'input'} (${issue?.message ?? 'invalid'})`);
    }
    const input = parsed.data;
    const located = locate(input, context.state.repos.values());
    if ('error' in located) return located.error;
    const { repo, ref } = located;
    const { git } = repo.record;
    const head = git.refs.get(ref) ?? '';
    if (head !== input.expectedHeadOid) {
      return fieldError(
        'STALE_DATA',
        `Expected branch to point to "${input.expectedHeadOid}" but it did not.  Pull and try again.`,
      );
    }
    const files = new Map<string, TreeFile>(git.trees.get(git.commits.get(head)?.tree ?? '') ?? []);
    for (const { path } of input.fileChanges?.deletions ?? []) {
      if (!files.delete(path)) {
        return fieldError(
          'UNPROCESSABLE',
          `A path was requested for deletion which does not exist as of commit oid \`${head}\``,
        );
      }
    }
    for (const { path, contents } of input.fileChanges?.additions ?? []) {
      files.set(path, { sha: git.createBlob(Buffer.from(contents, 'base64')), mode: '100644' });
    }
    const body = input.message.body ?? '';
    const login = authorOf(request, context);
    const email = `${context.state.userId(login)}+${login}@users.noreply.github.com`;
    const commit = git.createCommit({
      tree: git.createTree(files),
      parents: [head],
      message: body === '' ? input.message.headline : `${input.message.headline}\n\n${body}`,
      author: { name: login, email, date: context.now() },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: context.now() },
    });
    git.refs.set(ref, commit.sha);
    const url = `${context.base}/${repo.record.owner}/${repo.record.repo}/commit/${commit.sha}`;
    const clientMutationId = input.clientMutationId ?? null;
    return json(200, { data: { [NAME]: { clientMutationId, commit: { oid: commit.sha, url } } } });
  },
};
