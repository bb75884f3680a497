import { personOf } from '../actors.js';
import { fail, json, type Route } from '../route.js';
import { renderUser } from '../views.js';

/** `GET /user`: the person a token belongs to; the App's tokens are refused, as GitHub refuses them. */
export const userRoutes: Route[] = [
  {
    method: 'GET',
    path: '/user',
    handle(request, context) {
      const login = personOf(request, context);
      if (login === undefined) return fail(403, 'Resource not accessible by integration');
      return json(200, {
        ...renderUser(context, login),
        user_view_type: 'public',
        name: null,
        company: null,
        blog: null,
        location: null,
        email: null,
        hireable: null,
        bio: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: '2024-01-01T00:00:00Z',
        updated_at: '2024-01-01T00:00:00Z',
      });
    },
  },
];
