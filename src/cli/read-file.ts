import { readFile } from 'node:fs/promises';
import { UsageError } from './io';

/** Reads a file the user named; a missing or unreadable file is a usage error (exit 2). */
export async function readUserFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}${code ? ` (${code})` : ''}`);
  }
}
