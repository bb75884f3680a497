import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readExisting, readInitSources } from '../init/read-init-files.js';
import { checkRepository, type RepositoryCheck } from './check-repository.js';

/**
 * The repository checks (`checkRepository`) on the files of the checkout at `repo` as they are on
 * disk, against the files this version of `init` installs. Reads only; `doctor` and `run` share it.
 */
export function checkCheckout(repo: string): RepositoryCheck {
  return checkRepository({
    view: {
      existing: (path) => readExisting(join(repo, path)),
      isDirectory: (path) => statSync(join(repo, path), { throwIfNoEntry: false })?.isDirectory() ?? false,
    },
    initFiles: readInitSources(),
  });
}
