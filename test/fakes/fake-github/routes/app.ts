import { hasAppJwt } from '../actors.js';
import { fail, json, notFound, type Route, repoOf } from '../route.js';
import { renderApp, renderUser, type ViewContext } from '../views.js';

/**
 * Installation tokens and `GET /app`, which Probot's auth calls, and the App's installation on a
 * repository (App JWT only; 404 where the App is not installed).
 */
export const appRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/installation',
    handle(request, context) {
      if (!hasAppJwt(request, context)) return fail(401, 'A JSON web token could not be decoded');
      const repo = repoOf(request);
      return repo.record.installed ? json(200, renderInstallation(context, repo.record.owner)) : notFound();
    },
  },
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

/** The App's one installation, on `owner`'s account (`installation`). */
function renderInstallation(context: ViewContext, owner: string) {
  const app = renderApp(context);
  return {
    id: context.installationId,
    account: renderUser(context, owner),
    repository_selection: 'selected',
    access_tokens_url: `${context.base}/app/installations/${context.installationId}/access_tokens`,
    repositories_url: `${context.base}/installation/repositories`,
    html_url: `${context.base}/settings/installations/${context.installationId}`,
    app_id: context.appId,
    app_slug: app.slug,
    target_id: context.state.userId(owner),
    target_type: 'User',
    permissions: app.permissions,
    events: app.events,
    created_at: app.created_at,
    updated_at: app.updated_at,
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  };
}
