import { main } from '../../src/cli/cert-rules';
import type { CliIo, Command } from '../../src/cli/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export function runCli(argv: string[], stdin = '', env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return runCommand(main, argv, stdin, env);
}

/** Runs one command (or `main`) in-process with captured output: e.g. a sync command made with a short timeout. */
export async function runCommand(command: Command, argv: string[], stdin = '', env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => stdin,
    env,
  };
  const code = await command(argv, io);
  return { code, stdout, stderr };
}

export function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
