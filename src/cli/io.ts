/** What a command needs from the process, so tests can run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
}

export type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

/**
 * A usage error as every command tells it: what is wrong, then where the
 * options are described. Not the whole help after it: the error would scroll
 * out of sight above it.
 */
export function usageErrorText(command: string | null, message: string): string {
  const name = command === null ? 'cert-rules' : `cert-rules ${command}`;
  return `${name}: ${message}\nRun "${name} --help" for ${command === null ? 'the commands' : 'its options'}.\n`;
}
