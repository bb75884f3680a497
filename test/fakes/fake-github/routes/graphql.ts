import { isObject } from '../json-schema-check.js';
import { json, type Route } from '../route.js';
import { pullsOf } from './pulls.js';

const MUTATION = 'markPullRequestReadyForReview';

/**
 * `POST /graphql`, which is not in the REST description. Only `markPullRequestReadyForReview` is
 * modelled; the pull request id is read from `variables` or from the query text. Any other
 * operation answers a GraphQL error and is recorded as a violation.
 */
export const graphqlRoutes: Route[] = [
  {
    method: 'POST',
    path: '/graphql',
    inSpec: false,
    handle(request, context) {
      const body = request.body;
      if (!isObject(body) || typeof body.query !== 'string') {
        return {
          ...graphqlError('A query attribute must be specified and must be a string.'),
          violation: 'GraphQL body without a query string',
        };
      }
      if (!new RegExp(`\\bmutation\\b[\\s\\S]*\\b${MUTATION}\\s*\\(`).test(body.query)) {
        const message = `the fake GitHub GraphQL API supports only ${MUTATION}`;
        return { ...graphqlError(message), violation: `${message}; got ${body.query.slice(0, 200)}` };
      }
      const candidates = [
        ...stringsIn(body.variables),
        ...[...body.query.matchAll(/pullRequestId\s*:\s*"([^"]+)"/g)].map((m) => m[1] ?? ''),
      ];
      for (const repo of context.state.repos.values()) {
        const issue = pullsOf(repo).find((pull) => candidates.includes(pull.pull.nodeId));
        if (issue === undefined) continue;
        issue.pull.draft = false;
        issue.updatedAt = context.now();
        const url = `${context.base}/${repo.record.owner}/${repo.record.repo}/pull/${issue.number}`;
        const pullRequest = { id: issue.pull.nodeId, number: issue.number, isDraft: false, url };
        return json(200, { data: { [MUTATION]: { clientMutationId: null, pullRequest } } });
      }
      const id = candidates[0] ?? '';
      return json(200, {
        data: { [MUTATION]: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: [MUTATION],
            message: `Could not resolve to a node with the global id of '${id}'`,
          },
        ],
      });
    },
  },
];

function graphqlError(message: string) {
  return json(200, { errors: [{ message, locations: [] }] });
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  return isObject(value) ? Object.values(value).flatMap(stringsIn) : [];
}
