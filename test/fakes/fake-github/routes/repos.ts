import { json, notFound, type Route, repoOf } from '../route.js';
import type { RepoRole } from '../state.js';
import { renderRepo, renderUser } from '../views.js';

const LEGACY_PERMISSION: Record<RepoRole, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
};

/** The repository itself and collaborator permissions. */
export const repoRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    handle: (request, context) => json(200, renderRepo(context, repoOf(request).record)),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    handle(request, context) {
      const login = request.params.username ?? '';
      const role = repoOf(request).permissions.get(login.toLowerCase());
      if (role === undefined) return notFound();
      return json(200, {
        permission: LEGACY_PERMISSION[role],
        role_name: role,
        user: { ...renderUser(context, login), role_name: role, permissions: permissionFlags(role) },
      });
    },
  },
];

function permissionFlags(role: RepoRole) {
  const rank = ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(role);
  return { pull: rank >= 0, triage: rank >= 1, push: rank >= 2, maintain: rank >= 3, admin: rank >= 4 };
}
