/** When `/add-tables` applies, worded the same in `/help` and in every reply of the command. */
export const ADD_TABLES_WHEN =
  'at plan approval it adds to the plan; at the next-batch question it adds to the tables still to build; after completion it starts a new batch';

/** The commands table (README, Commands): command, who may use it, what it does. */
const COMMANDS: ReadonlyArray<readonly [command: string, who: string, effect: string]> = [
  [
    '`/approve`',
    'write access',
    'start the next phase (or the plan, the next batch, or, once done, a skipped live check)',
  ],
  [
    '`/revise <text>`',
    'write access',
    're-run the current phase with the feedback; PR reviews from people who may `/revise` are fed in too',
  ],
  ['`/retry`', 'write access', 're-run a failed phase'],
  ['`/restart <phase>`', 'write access', 'resume from that phase, keeping earlier output'],
  [
    '`/skip-auth`',
    'write access',
    'no live credentials: simulate-mode only, PR labelled `needs-live-testing`',
  ],
  [
    '`/add-tables a,b`',
    'write access',
    `${ADD_TABLES_WHEN} (research append → implement extend → test → docs/spec → package)`,
  ],
  ['`/cancel`', 'write access or issue author', 'stop; nothing further is spent'],
  ['`/status`, `/help`', 'anyone', 'reply with state and commands'],
];

/**
 * The `/help` reply: every command, who may use it and what it does. No marker: the caller
 * prefixes the mention of the person who asked, so the text reads on from `@someone `. Commands are
 * written bare; where a repository requires `/lakeflow`, the effects runner rewrites them.
 */
export function renderHelp(): string {
  return [
    'these are the commands I understand:',
    '',
    '| command | who | effect |',
    '|---|---|---|',
    ...COMMANDS.map(([command, who, effect]) => `| ${command} | ${who} | ${effect} |`),
    '',
    'Commands work on the issue and on the PR, and each must start a line of its own.',
    '`/lakeflow` before a command (`/lakeflow approve`) sets it apart from the commands of other bots; a repository can require it.',
    '`<phase>` is one of `research`, `auth`, `implement`, `test`, `docs`, `spec`, `package`.',
  ].join('\n');
}
