import type { CliIo, Command } from './io';
import { EXIT_USAGE, usageErrorText } from './io';
import { checkCommand } from './commands/check';
import { lintCommand } from './commands/lint';
import { syncCommand } from './commands/sync';
import { exportCommand } from './commands/export';

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  check: { run: checkCommand, summary: 'decide URLs against a rules file or a synced state file' },
  lint: { run: lintCommand, summary: 'validate a rules file and report problems and risky patterns' },
  export: { run: exportCommand, summary: 'compile the rules to Chrome/Edge AutoSelectCertificateForUrls policy, with a per-rule report' },
  sync: { run: syncCommand, summary: 'fetch the Client Certificates profile from the console into a state file' },
};

export const MAIN_HELP = () => `cert-rules — client certificate rules, the same engine as the browser extension

Usage: cert-rules <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(8)} ${command.summary}`)
  .join('\n')}

Run "cert-rules <command> --help" for a command's options.
Exit codes: 0 ok, 1 rules rejected or operation failed, 2 usage error or unreadable file.
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(MAIN_HELP());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(usageErrorText(null, `unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(', ')}`));
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}
