import type { Permission } from '../../ports/github.js';
import type { RepoClient } from './repo-client.js';
import { CollaboratorPermission } from './schema.js';

const LEGACY: Readonly<Record<string, Permission>> = { admin: 'admin', write: 'write', read: 'read' };

/**
 * `permission` is authoritative; `role_name` only refines it where the legacy field folds a role
 * in: maintain reports as write and triage as read. A custom role keeps its base permission, and
 * anything unknown is `none`.
 */
function toPermission(response: CollaboratorPermission): Permission {
  const base = LEGACY[response.permission] ?? 'none';
  if (base === 'write' && response.role_name === 'maintain') return 'maintain';
  if (base === 'read' && response.role_name === 'triage') return 'triage';
  return base;
}

/** The collaborator permission of `login`; `none` when GitHub says 404 (not a collaborator). */
export async function getPermission(client: RepoClient, login: string): Promise<Permission> {
  const response = await client.getOrNull(CollaboratorPermission, (octokit) =>
    octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: client.owner,
      repo: client.repo,
      username: login,
    }),
  );
  return response === null ? 'none' : toPermission(response);
}
