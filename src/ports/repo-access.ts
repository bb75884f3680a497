import type { RepoConfig } from '../config/repo-config.js';
import type { RepoPermission } from '../domain/commands/command-permissions.js';
import type { RunRef } from '../domain/pipeline/run.js';

/** The repository a lookup is about. */
export type AccessRepo = Pick<RunRef, 'installationId' | 'owner' | 'repo'>;

/**
 * The parts of the repository config that decide who may steer a run and which deliveries are the
 * bot's: approvers, the workflow file, the live environment's name, the request label and whether a
 * command needs the `/lakeflow` prefix.
 */
export type AccessSettings = Pick<
  RepoConfig,
  'approvers' | 'workflow' | 'environment' | 'labels' | 'commands'
>;

/**
 * What the events worker reads before it acts on a delivery (the webhook handlers make no GitHub
 * call): a person's permission and the repository's access settings. Implementations may cache
 * both for a short while; a config that cannot be read gives the defaults.
 */
export interface RepoAccess {
  /** The collaborator permission of `login` on `repo`. */
  permission(repo: AccessRepo, login: string): Promise<RepoPermission>;
  /** The repository config's access settings, or the defaults when it is missing or unreadable. */
  settings(repo: AccessRepo): Promise<AccessSettings>;
}
