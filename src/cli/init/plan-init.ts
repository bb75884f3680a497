import { assertNever } from '../../domain/assert-never.js';

/** A file `init` installs: its path in the target checkout and the content it should have. */
export interface InitFile {
  readonly path: string;
  readonly content: string;
}

/** What is at a file's path in the target checkout before `init` runs. */
export type ExistingFile =
  /** Nothing: the file is created. */
  | { readonly kind: 'absent' }
  /** A regular file with this text. */
  | { readonly kind: 'file'; readonly content: string }
  /** A folder, a symbolic link, or a path that cannot be read: never touched, even with `--force`. */
  | { readonly kind: 'other'; readonly reason: string };

/** What `init` does with one file. */
export type InitAction =
  /** The file does not exist: it is written. */
  | 'create'
  /** The file already has the content (line endings aside): nothing is written. */
  | 'unchanged'
  /** The file differs and `--force` was not given, or the path is not a regular file: left alone. */
  | 'skip'
  /** The file differs and `--force` was given: it is replaced. */
  | 'overwrite';

/** One line of the plan: the file, what happens to it and, for a skip, why. */
export interface InitStep {
  readonly file: InitFile;
  readonly action: InitAction;
  readonly reason?: string;
}

/** Whether two texts are the same file, ignoring CRLF/LF differences (a Windows checkout with autocrlf). */
export function isSameText(left: string, right: string): boolean {
  return left.replace(/\r\n/g, '\n') === right.replace(/\r\n/g, '\n');
}

/**
 * Decides, per file, what `init` does. Pure: the caller reads what exists and carries the plan out.
 * A file whose content differs is only replaced with `force`; a path that is not a regular file never is.
 */
export function planInit(params: {
  files: readonly InitFile[];
  existing: (path: string) => ExistingFile;
  force: boolean;
}): InitStep[] {
  return params.files.map((file) => {
    const existing = params.existing(file.path);
    switch (existing.kind) {
      case 'absent':
        return { file, action: 'create' };
      case 'other':
        return { file, action: 'skip', reason: existing.reason };
      case 'file':
        if (isSameText(existing.content, file.content)) return { file, action: 'unchanged' };
        if (params.force) return { file, action: 'overwrite' };
        return { file, action: 'skip', reason: 'changed, use --force' };
      default:
        return assertNever(existing);
    }
  });
}

/** The steps that write a file. */
export function stepsToWrite(steps: readonly InitStep[]): InitStep[] {
  return steps.filter((step) => step.action === 'create' || step.action === 'overwrite');
}

/** One line per file, e.g. `created  .github/lakeflow-connector-bot.yml`; in a dry run, `would create …`. */
export function renderInitReport(steps: readonly InitStep[], params: { dryRun: boolean }): string {
  const labels = steps.map((step) => describeAction(step, params.dryRun));
  const width = Math.max(...labels.map((label) => label.length));
  return steps
    .map((step, index) => {
      const label = labels[index] ?? '';
      const reason = step.reason === undefined ? '' : ` (${step.reason})`;
      return `${label.padEnd(width)}  ${step.file.path}${reason}\n`;
    })
    .join('');
}

function describeAction(step: InitStep, dryRun: boolean): string {
  switch (step.action) {
    case 'create':
      return dryRun ? 'would create' : 'created';
    case 'overwrite':
      return dryRun ? 'would overwrite' : 'overwritten';
    case 'unchanged':
      return 'unchanged';
    case 'skip':
      return dryRun ? 'would skip' : 'skipped';
    default:
      return assertNever(step.action);
  }
}
