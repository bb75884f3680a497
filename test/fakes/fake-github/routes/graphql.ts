import { isObject } from '../json-schema-check.js';
import type { Route } from '../route.js';
import { GRAPHQL_MUTATIONS, graphqlError } from './graphql-mutations.js';

/**
 * `POST /graphql`, which is not in the REST description. Only the mutations of
 * `GRAPHQL_MUTATIONS` are modelled (`markPullRequestReadyForReview`, `minimizeComment`,
 * `createCommitOnBranch`); their arguments are read from `variables` or from the query text. Any other operation answers a
 * GraphQL error and is recorded as a violation.
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
      const query = body.query;
      const mutation = GRAPHQL_MUTATIONS.find((candidate) =>
        new RegExp(`\\bmutation\\b[\\s\\S]*\\b${candidate.name}\\s*\\(`).test(query),
      );
      if (mutation === undefined) {
        const message = `the fake GitHub GraphQL API supports only ${GRAPHQL_MUTATIONS.map((m) => m.name).join(', ')}`;
        return { ...graphqlError(message), violation: `${message}; got ${query.slice(0, 200)}` };
      }
      return mutation.answer({ query, variables: body.variables, context, request });
    },
  },
];
