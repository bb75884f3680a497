import { fileURLToPath } from 'node:url';

/**
 * The root of this package (the folder with package.json, `.github/` and `templates/`). The same relative
 * step works from `src/cli/` (run through tsx) and from `dist/cli/` (the build).
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
