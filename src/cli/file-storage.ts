import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { jsonSyntaxMessage } from '../engine/json-syntax';
import type { SyncState } from '../sync/state';
import type { StateStorage } from '../sync/storage';

/** The few file operations the adapter uses; tests replace them to interrupt a write at each step. */
export interface FileOps {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  open(
    path: string,
    flags: string,
    mode?: number,
  ): Promise<{ writeFile(data: string, encoding: 'utf8'): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

/**
 * The CLI's state file. A write goes to a temporary file in the same directory,
 * is flushed to disk, and then renamed over the state file: rename is atomic,
 * so a crash at any point leaves the old file or the complete new one. Leftover
 * temporary files are never read.
 */
export function createFileStorage(path: string, fs: FileOps = nodeFs): StateStorage {
  return {
    async read() {
      let text: string;
      try {
        text = await fs.readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`cannot read the state file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error(`the state file ${path} is ${jsonSyntaxMessage(text) ?? 'not valid JSON'}; it was left untouched`);
      }
    },
    async write(state: SyncState) {
      const text = `${JSON.stringify(state, null, 2)}\n`;
      const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
      try {
        const handle = await fs.open(temp, 'wx', 0o600);
        try {
          await handle.writeFile(text, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fs.rename(temp, path);
      } catch (error) {
        await fs.unlink(temp).catch(() => undefined);
        throw new Error(`cannot write the state file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    },
  };
}
