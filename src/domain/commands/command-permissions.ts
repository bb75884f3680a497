import { assertNever } from '../assert-never.js';
import type { Command } from './schema.js';

/** A user's permission on the repository, as GitHub's collaborator permission API reports it. */
export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/** Whether a user may run a command; a refusal carries a reason to show them. */
export type PermissionDecision =
  /** The command may run. */
  | { allowed: true }
  /** The command must not run; `reason` is a lower-case clause for a reply, e.g. "only people … this run". */
  | { allowed: false; reason: string };

/** Who may run a command (README, Commands). */
type Audience = 'anyone' | 'writers-or-author' | 'writers';

const WRITE_PERMISSIONS: readonly RepoPermission[] = ['admin', 'maintain', 'write'];

/**
 * Decides whether `login` may run `command` (README, Commands): `/status` and `/help` are open to
 * anyone; `/cancel` needs write access (write, maintain or admin), a listed approver, or the issue's
 * author; every other command needs write access or a listed approver. Approvers come from the repo
 * config and are compared case-insensitively, ignoring a leading `@`, because GitHub logins are
 * case-insensitive. Triage and read access are not enough for anything but the open commands.
 */
export function decideCommandPermission(params: {
  command: Command;
  permission: RepoPermission;
  login: string;
  isIssueAuthor: boolean;
  approvers: readonly string[];
}): PermissionDecision {
  const audience = audienceOf(params.command);
  if (audience === 'anyone') return { allowed: true };
  if (WRITE_PERMISSIONS.includes(params.permission) || isApprover(params.login, params.approvers)) {
    return { allowed: true };
  }
  if (audience === 'writers-or-author' && params.isIssueAuthor) return { allowed: true };
  return { allowed: false, reason: refusalReason(params.command) };
}

function audienceOf(command: Command): Audience {
  switch (command.type) {
    case 'status':
    case 'help':
      return 'anyone';
    case 'cancel':
      return 'writers-or-author';
    case 'approve':
    case 'revise':
    case 'retry':
    case 'restart':
    case 'skip-auth':
    case 'add-tables':
      return 'writers';
    default:
      return assertNever(command);
  }
}

function isApprover(login: string, approvers: readonly string[]): boolean {
  const wanted = normaliseLogin(login);
  return wanted !== '' && approvers.some((approver) => normaliseLogin(approver) === wanted);
}

function normaliseLogin(login: string): string {
  return login.trim().replace(/^@/, '').toLowerCase();
}

function refusalReason(command: Command): string {
  const writers = 'only people with write access';
  switch (command.type) {
    case 'approve':
      return `${writers} can approve this run`;
    case 'revise':
      return `${writers} can ask for a revision`;
    case 'retry':
      return `${writers} can retry a phase`;
    case 'restart':
      return `${writers} can restart the run from a phase`;
    case 'skip-auth':
      return `${writers} can skip the live credentials check`;
    case 'add-tables':
      return `${writers} can add tables to this connector`;
    case 'cancel':
      return `${writers} or the issue's author can cancel this run`;
    case 'status':
    case 'help':
      return 'this command is open to everyone';
    default:
      return assertNever(command);
  }
}
