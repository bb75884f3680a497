import { describe, expect, it } from 'vitest';
import {
  decideCommandPermission,
  type PermissionDecision,
  type RepoPermission,
} from './command-permissions.js';
import type { Command } from './schema.js';

const ALLOWED: PermissionDecision = { allowed: true };

const EVERY_COMMAND: Command[] = [
  { type: 'approve' },
  { type: 'revise', feedback: 'more tests' },
  { type: 'retry' },
  { type: 'restart', phase: 'test' },
  { type: 'skip-auth' },
  { type: 'add-tables', tables: ['orders'] },
  { type: 'cancel' },
  { type: 'status' },
  { type: 'help' },
];

function decide(
  command: Command,
  overrides: Partial<{
    permission: RepoPermission;
    login: string;
    isIssueAuthor: boolean;
    approvers: string[];
  }> = {},
): PermissionDecision {
  return decideCommandPermission({
    command,
    permission: 'read',
    login: 'octocat',
    isIssueAuthor: false,
    approvers: [],
    ...overrides,
  });
}

describe('decideCommandPermission', () => {
  describe('when the user has write access or more', () => {
    it.each(
      EVERY_COMMAND.flatMap((command) =>
        (['write', 'maintain', 'admin'] as const).map(
          (permission) => [command.type, permission, command] as const,
        ),
      ),
    )('allows %s with %s', (_type, permission, command) => {
      const result = decide(command, { permission });

      expect(result).toEqual(ALLOWED);
    });
  });

  describe('when the user is a listed approver without write access', () => {
    it.each(EVERY_COMMAND.map((command) => [command.type, command] as const))(
      'allows %s',
      (_type, command) => {
        const result = decide(command, {
          permission: 'read',
          login: 'OctoCat',
          approvers: ['someone', '@octocat'],
        });

        expect(result).toEqual(ALLOWED);
      },
    );
  });

  describe('when the user has no write access and is not an approver', () => {
    it.each<[RepoPermission, Command, PermissionDecision]>([
      [
        'triage',
        { type: 'approve' },
        { allowed: false, reason: 'only people with write access can approve this run' },
      ],
      [
        'read',
        { type: 'revise', feedback: 'x' },
        { allowed: false, reason: 'only people with write access can ask for a revision' },
      ],
      [
        'read',
        { type: 'retry' },
        { allowed: false, reason: 'only people with write access can retry a phase' },
      ],
      [
        'none',
        { type: 'restart', phase: 'auth' },
        { allowed: false, reason: 'only people with write access can restart the run from a phase' },
      ],
      [
        'read',
        { type: 'skip-auth' },
        { allowed: false, reason: 'only people with write access can skip the live credentials check' },
      ],
      [
        'read',
        { type: 'add-tables', tables: ['a'] },
        { allowed: false, reason: 'only people with write access can add tables to this connector' },
      ],
      [
        'triage',
        { type: 'cancel' },
        { allowed: false, reason: "only people with write access or the issue's author can cancel this run" },
      ],
      ['none', { type: 'status' }, ALLOWED],
      ['none', { type: 'help' }, ALLOWED],
    ])('with %s access decides %j', (permission, command, expected) => {
      const result = decide(command, { permission, approvers: ['someone-else'] });

      expect(result).toEqual(expected);
    });
  });

  describe('when the user is the issue author without write access', () => {
    it.each<[Command, boolean]>([
      [{ type: 'cancel' }, true],
      [{ type: 'status' }, true],
      [{ type: 'approve' }, false],
      [{ type: 'revise', feedback: 'x' }, false],
      [{ type: 'add-tables', tables: ['a'] }, false],
    ])('decides %j as allowed: %s', (command, allowed) => {
      const result = decide(command, { permission: 'read', isIssueAuthor: true });

      expect(result.allowed).toBe(allowed);
    });
  });

  describe('when approvers are compared', () => {
    it.each<[string, string[], boolean]>([
      ['octocat', ['OCTOCAT'], true],
      ['OctoCat', [' octocat '], true],
      ['octocat', ['@octocat'], true],
      ['octocat', ['octocat2'], false],
      ['octocat', ['octo'], false],
      ['', [''], false],
      ['', ['@'], false],
    ])('treats %j against %j as approver: %s', (login, approvers, allowed) => {
      const result = decide({ type: 'approve' }, { permission: 'none', login, approvers });

      expect(result.allowed).toBe(allowed);
    });
  });
});
