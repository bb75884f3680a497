import { unzipSync } from 'fflate';
import { InvariantError } from '../../errors.js';

/** Limits on an artifact zip, so a hostile or broken workflow cannot exhaust the worker's memory. */
export interface UnpackLimits {
  /** Most files in the zip (directories included). */
  maxEntries: number;
  /** Most bytes all kept files may hold once uncompressed. */
  maxUncompressedBytes: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = {
  maxEntries: 200,
  maxUncompressedBytes: 50 * 1024 * 1024,
};

/**
 * Unpacks the results zip into `path → bytes`. Entries whose name is unsafe (absolute, `..`, a
 * backslash, a drive letter) and directories are skipped, never written anywhere. Sizes are checked
 * against the zip's own headers before anything is inflated, and fflate never writes past the size
 * a header declares, so a zip bomb costs at most {@link UnpackLimits.maxUncompressedBytes}. Throws an
 * `InvariantError` naming the problem when the data is not a zip or breaks a limit.
 */
export function unpackArtifact(
  zip: Uint8Array,
  limits: UnpackLimits = DEFAULT_UNPACK_LIMITS,
): Map<string, Uint8Array> {
  let entries = 0;
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter(file) {
        entries += 1;
        if (entries > limits.maxEntries)
          throw new LimitError(`it holds more than ${limits.maxEntries} files`);
        if (!isSafeName(file.name)) return false;
        total += file.originalSize;
        if (total > limits.maxUncompressedBytes) {
          throw new LimitError(`it unpacks to more than ${formatMb(limits.maxUncompressedBytes)}`);
        }
        return true;
      },
    });
  } catch (error) {
    const reason = error instanceof LimitError ? error.message : 'it is not a readable zip file';
    throw new InvariantError(`The results artifact was refused: ${reason}.`, { cause: error });
  }
  return new Map(Object.entries(files));
}

class LimitError extends Error {}

function isSafeName(name: string): boolean {
  if (name === '' || name.endsWith('/') || name.includes('\\') || name.includes('\0')) return false;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return false;
  return name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function formatMb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
