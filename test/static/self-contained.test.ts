import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Notes kept outside this repository, which nothing here may send a reader to. */
const OUTSIDE_NOTES = ['DESIGN', 'STYLE', 'UX', 'STACK'].map((name) => `${name}.md`);
const OUTSIDE_PATTERNS = [...OUTSIDE_NOTES, `reference ${'§'}`, `../${'shared'}/`];

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0');
  return listed.filter((path) => /\.(ts|js|md|ya?ml|json|sh)$/.test(path) || path === '.ci/run');
}

describe('the repository stands alone', () => {
  it('cites no notes kept outside it: what the code needs from them lives in docs/', () => {
    const citations = trackedTextFiles().flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          OUTSIDE_PATTERNS.some((pattern) => line.includes(pattern)) ? [`${path}:${index + 1}`] : [],
        ),
    );

    expect(citations).toEqual([]);
  });
});
