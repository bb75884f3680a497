import { isObject } from '../json-schema-check.js';
import { json, type RouteContext, type RouteRequest, type RouteResult } from '../route.js';
import { nodeId } from '../views.js';
import { createCommitOnBranch } from './graphql-commit.js';
import { pullsOf } from './pulls.js';

/** The one GraphQL mutation a fake operation answers, with its arguments already read. */
export interface GraphqlMutation {
  name: string;
  answer(params: {
    query: string;
    variables: unknown;
    context: RouteContext;
    request: RouteRequest;
  }): RouteResult;
}

/** GitHub's `ReportedContentClassifiers`. */
const CLASSIFIERS = ['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED'] as const;

/**
 * The value of the input field `field`: a literal in the query (`field: "x"`, `field: ENUM`) or a
 * `$variable` read from `variables`.
 */
export function argumentOf(query: string, variables: unknown, field: string): string | undefined {
  const found = new RegExp(`\\b${field}\\s*:\\s*(?:"([^"]*)"|\\$(\\w+)|([A-Z_]+))`).exec(query);
  if (found === null) return undefined;
  if (found[1] !== undefined || found[3] !== undefined) return found[1] ?? found[3];
  const value = isObject(variables) ? variables[found[2] ?? ''] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function graphqlError(message: string, extra: Record<string, unknown> = {}): RouteResult {
  return json(200, { errors: [{ message, locations: [], ...extra }] });
}

function notFound(mutation: string, id: string): RouteResult {
  return json(200, {
    data: { [mutation]: null },
    errors: [
      {
        type: 'NOT_FOUND',
        path: [mutation],
        message: `Could not resolve to a node with the global id of '${id}'`,
      },
    ],
  });
}

/** `markPullRequestReadyForReview(input: { pullRequestId })`: the draft flag goes off. */
const markReady: GraphqlMutation = {
  name: 'markPullRequestReadyForReview',
  answer({ query, variables, context }) {
    const id = argumentOf(query, variables, 'pullRequestId') ?? '';
    for (const repo of context.state.repos.values()) {
      const issue = pullsOf(repo).find((pull) => pull.pull.nodeId === id);
      if (issue === undefined) continue;
      issue.pull.draft = false;
      issue.updatedAt = context.now();
      const url = `${context.base}/${repo.record.owner}/${repo.record.repo}/pull/${issue.number}`;
      const pullRequest = { id, number: issue.number, isDraft: false, url };
      return json(200, { data: { [this.name]: { clientMutationId: null, pullRequest } } });
    }
    return notFound(this.name, id);
  },
};

/**
 * `minimizeComment(input: { subjectId, classifier })` on an issue or PR comment: records the
 * classifier on the comment (`minimizedComments()` lists them). Both arguments are required and the
 * classifier must be one of GitHub's, as GitHub's schema says.
 */
const minimize: GraphqlMutation = {
  name: 'minimizeComment',
  answer({ query, variables, context }) {
    const id = argumentOf(query, variables, 'subjectId');
    const classifier = argumentOf(query, variables, 'classifier');
    if (id === undefined || classifier === undefined) {
      return graphqlError("Argument 'input' on Field 'minimizeComment' is missing subjectId or classifier", {
        extensions: { code: 'missingRequiredInputObjectAttribute' },
      });
    }
    if (!(CLASSIFIERS as readonly string[]).includes(classifier)) {
      return graphqlError(
        `Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${classifier})`,
      );
    }
    for (const repo of context.state.repos.values()) {
      const comment = repo.comments.find((candidate) => nodeId('IC', candidate.id) === id);
      if (comment === undefined) continue;
      comment.minimizedAs = classifier;
      comment.updatedAt = context.now();
      const minimizedReason = classifier.toLowerCase().replace('_', '-');
      return json(200, {
        data: {
          [this.name]: { clientMutationId: null, minimizedComment: { isMinimized: true, minimizedReason } },
        },
      });
    }
    return notFound(this.name, id);
  },
};

/** The mutations the fake models. */
export const GRAPHQL_MUTATIONS: readonly GraphqlMutation[] = [markReady, minimize, createCommitOnBranch];
