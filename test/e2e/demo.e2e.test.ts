import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** `npm run demo` as a newcomer runs it: a labelled replay that ends with the branch and its commits. */
describe('npm run demo', () => {
  it('replays both batches with the real pytest, exits 0 and lists the branch with one commit per phase', async () => {
    const child = spawn('npm', ['run', 'demo', '--silent'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...(process.env.PYTHON ? { PYTHON: process.env.PYTHON } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));

    expect(code, output).toBe(0);
    expect(output).toContain('DEMO: a REPLAY');
    expect(output).toMatch(/Done\. Branch lakeflow-connector\/brightdesk in \S+, one commit per phase:/);
    // The closing banner is one write to stdout: its commit lines follow its heading.
    const listed = /one commit per phase:\n((?: {2}[0-9a-f]{7} .*\n)+)Where to look:/.exec(stdout)?.[1] ?? '';
    expect(
      listed.match(/^ {2}[0-9a-f]{7} (research|auth|implement|test|docs_spec|package)[: ]/gm),
    ).toHaveLength(14);
  }, 240_000);
});
