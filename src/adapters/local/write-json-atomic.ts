import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { InvariantError } from '../../errors.js';

/** Writes `value` as JSON to `path` through a temporary file and a rename, so a reader never sees half a file. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Reads and validates a JSON file; `null` when it does not exist, `InvariantError` naming the file when it is not valid. */
export async function readJsonFile<T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvariantError(`${path} is not valid JSON; move it away to start afresh`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new InvariantError(
      `${path} is not in the expected format (${first?.path.join('.') || '(top level)'}: ${first?.message ?? 'invalid'}); move it away to start afresh`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
