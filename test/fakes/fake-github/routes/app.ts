import { fail, json, type Route } from '../route.js';
import { renderApp } from '../views.js';

/** Installation tokens and `GET /app`, which Probot's auth calls. */
export const appRoutes: Route[] = [
  {
    method: 'POST',
    path: '/app/installations/{installation_id}/access_tokens',
    handle(request, context) {
      if (Number(request.params.installation_id) !== context.installationId) return fail(404, 'Not Found');
      const expires = new Date(Date.parse(context.now()) + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return json(201, {
        token: `ghs_fake${context.state.id()}`,
        expires_at: expires,
        permissions: renderApp(context).permissions,
        repository_selection: 'all',
      });
    },
  },
  {
    method: 'GET',
    path: '/app',
    handle: (_request, context) => json(200, renderApp(context)),
  },
];
