import { describe, expect, it } from 'vitest';
import type { ConnectorProblem } from '../../domain/target-repo/checks/problem.js';
import { confirmLayout, type LayoutQuestion, layoutProblems } from './confirm-layout.js';
import type { LineReader } from './line-reader.js';

const MISSING: ConnectorProblem = {
  check: 'framework_module',
  file: 'src/databricks/labs/community_connector/interface/__init__.py',
  message:
    '`src/databricks/labs/community_connector/interface/__init__.py` is missing: connectors import and run on it.',
};

/** A reader that answers `lines` in order, then the end of input; it records how often it was asked. */
function answering(...lines: string[]): LineReader & { asked: number } {
  const reader = {
    asked: 0,
    next: async () => {
      reader.asked += 1;
      return lines.shift() ?? null;
    },
    close: () => undefined,
  };
  return reader;
}

function question(patch: Partial<LayoutQuestion>): LayoutQuestion & { output: () => string } {
  let out = '';
  return {
    repo: '/home/me/not-connectors',
    problems: [MISSING],
    yes: false,
    interactive: true,
    reader: answering(),
    signal: new AbortController().signal,
    print: (text) => {
      out += text;
    },
    ...patch,
    output: () => out,
  };
}

describe('layoutProblems', () => {
  it('leaves out the installed issue form and workflow, which only the GitHub App uses', () => {
    const installed = { check: 'installed_file', file: '.github/workflows/x.yml', message: 'missing' };

    expect(layoutProblems({ problems: [installed, MISSING], layout: {} as never })).toEqual([MISSING]);
  });
});

describe('confirmLayout', () => {
  it('goes on without a word on a connectors checkout', async () => {
    const q = question({ problems: [] });

    expect(await confirmLayout(q)).toBe(true);
    expect(q.output()).toBe('');
  });

  it('warns with what is missing and asks; y goes on', async () => {
    const reader = answering('y');
    const q = question({ reader });

    expect(await confirmLayout(q)).toBe(true);
    expect(q.output()).toContain(
      "warning: /home/me/not-connectors does not have the connectors repository's layout",
    );
    expect(q.output()).toContain(
      '  src/databricks/labs/community_connector/interface/__init__.py: src/databricks/labs/community_connector/interface/__init__.py is missing',
    );
    expect(q.output()).toMatch(/Go on anyway\? \[y\/N\] $/);
    expect(reader.asked).toBe(1);
  });

  it.each([['n'], [''], ['whatever']])('stops on the answer %j, with nothing started', async (answer) => {
    const q = question({ reader: answering(answer) });

    expect(await confirmLayout(q)).toBe(false);
    expect(q.output()).toContain('Stopped: nothing was started or spent.');
  });

  it('with --yes, warns and goes on without asking', async () => {
    const reader = answering();
    const q = question({ yes: true, interactive: false, reader });

    expect(await confirmLayout(q)).toBe(true);
    expect(q.output()).toContain('--yes: going on anyway.');
    expect(reader.asked).toBe(0);
  });

  it('without a terminal and without --yes, refuses without asking', async () => {
    const reader = answering('y');
    const q = question({ interactive: false, reader });

    expect(await confirmLayout(q)).toBe(false);
    expect(q.output()).toContain('Refusing to start: standard input is not a terminal');
    expect(reader.asked).toBe(0);
  });
});
