// Three test projects; `npm test` runs typecheck, unit, the build, built, then
// e2e (one after the other, so browsers do not compete with the unit tests for CPU):
// - unit: everything under test/ except test/e2e and *-built.test.ts; no build
//   needed, no browser but Chromium's own --pack-extension (test/package/crx.test.ts).
// - built: *-built.test.ts, the tests of what `npm run build` makes (dist/:
//   the CLI run as its own process, the packages, the bundle budgets); it
//   builds first when dist/ is missing or older than the sources.
// - e2e: real browsers driving the built extension (dist/); one file at a
//   time, because they share machine-wide state (policy files) and CPU.
// `npm run test:unit` / `npm run test:built` / `npm run test:e2e` run one project alone.
import { defineConfig } from 'vitest/config';
import { depthFactor } from './test/helpers/property-runs.ts';

const BUILT = 'test/**/*-built.test.ts';

export default defineConfig({
  // JSX in tests (tsconfig: react-jsx with preact).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/e2e/**', BUILT, '**/node_modules/**'],
          // jsdom has no <dialog>.showModal() (the stub does nothing in node test
          // files); fast-check's default run count follows TEST_DEPTH.
          setupFiles: ['test/helpers/dialog-stub.ts', 'test/helpers/fast-check-setup.ts', 'test/helpers/preact-effects-settle.ts'],
          // Property tests and child processes take 1-2 s on an idle machine and
          // several times that on a busy one; a test that hangs still fails.
          // TEST_DEPTH=deep runs ten times the property cases, so it waits ten times as long.
          testTimeout: 30_000 * depthFactor(),
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'built',
          include: [BUILT],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          globalSetup: ['test/helpers/ensure-build.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
