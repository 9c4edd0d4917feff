/**
 * `npm run console -- [--port N] [--host H] [--state FILE] [--login-style redirect|direct]`
 * Starts the console emulator for manual use and end-to-end tests.
 */
import { parseArgs } from 'node:util';
import { startConsoleEmulator } from './emulator/index';
import { startupText } from './emulator/banner';

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

process.stdout.write(startupText(emulator, values.state));

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
