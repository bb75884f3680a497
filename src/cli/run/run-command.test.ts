import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CliIo, UsageError } from '../cli-io.js';
import { runLocal } from './run-command.js';

/** A checkout path that does not exist: reaching it would fail with another error than the one expected. */
const NOWHERE = '/nonexistent/lakeflow-checkout';

function io(): CliIo {
  return { cwd: '/', stdout: () => undefined, stderr: () => undefined };
}

async function usageErrorOf(args: string[], env: NodeJS.ProcessEnv = { ANTHROPIC_API_KEY: 'k' }) {
  const error = await runLocal(args, io(), { env, stdin: new PassThrough() }).catch(
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as UsageError).message;
}

describe('run checks what was typed before anything else', () => {
  it('refuses a source name the issue form would refuse, before the environment or the checkout is read', async () => {
    const message = await usageErrorOf(['--source', 'Not A Name', '--repo', NOWHERE], {});

    expect(message).toMatch(/^Source name: /);
  });

  it('refuses a table name the issue form would refuse', async () => {
    const message = await usageErrorOf(['--source', 'acme_crm', '--tables', '../etc', '--repo', NOWHERE]);

    expect(message).toContain('../etc');
  });

  it('refuses a missing API key before the checkout is opened', async () => {
    const message = await usageErrorOf(['--source', 'acme_crm', '--repo', NOWHERE], {});

    expect(message).toContain('ANTHROPIC_API_KEY');
  });

  it('refuses an unknown flag and a missing --source', async () => {
    expect(await usageErrorOf(['--source', 'acme_crm', '--colour'])).toMatch(/--colour/);
    expect(await usageErrorOf(['--repo', NOWHERE])).toContain('--source is required');
  });
});
