/**
 * `npm run console -- [--port N] [--host H] [--state FILE] [--login-style redirect|direct]`
 * Starts the console emulator for manual use and end-to-end tests.
 */
import { parseArgs } from 'node:util';
import { startConsoleEmulator } from './emulator/index';
import { CORPORATE_PROFILE_ID, DEMO_ADMIN, DEMO_USER, LARGE_PROFILE_ID, PATTERNS_PROFILE_ID } from './emulator/seed';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8480' },
    host: { type: 'string', default: '127.0.0.1' },
    state: { type: 'string' },
    'login-style': { type: 'string', default: 'redirect' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write('Usage: npm run console -- [--port N (default 8480, 0 = any)] [--host 127.0.0.1] [--state FILE] [--login-style redirect|direct]\n');
  process.exit(0);
}

const loginStyle = values['login-style'] === 'direct' ? 'direct' : 'redirect';
const emulator = await startConsoleEmulator({ port: Number(values.port), host: values.host, stateFile: values.state, loginStyle });

process.stdout.write(`Console emulator listening on ${emulator.origin}
  REST base URL:   ${emulator.url}
  login page:      ${emulator.origin}/mocana-app-control/login.jsp
  admin (faults):  ${emulator.origin}/__admin/faults   (POST {"resource":"profile","type":"status","status":503,"retryAfter":"60"}; DELETE clears)
Demo accounts:
  administrator   ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}   (bearer token: ${DEMO_ADMIN.token})
  non-admin       ${DEMO_USER.email} / ${DEMO_USER.password}   (bearer token: ${DEMO_USER.token})
Profiles:
  ${CORPORATE_PROFILE_ID}  Corporate (default)
  ${PATTERNS_PROFILE_ID}  Every pattern form
  ${LARGE_PROFILE_ID}  Large (5,000 rules)
${values.state ? `Data saved to ${values.state}\n` : ''}Try: CONSOLE_PASSWORD=${DEMO_ADMIN.password} npx tsx src/cli/bin.ts sync --console ${emulator.url} --user ${DEMO_ADMIN.email} --password-env CONSOLE_PASSWORD --state /tmp/cert-rules-state.json
`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
