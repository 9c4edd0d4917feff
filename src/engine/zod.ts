import { z } from 'zod/mini';

/**
 * The one place zod is set up; every schema in src/ imports `z` from here, so
 * this runs in every bundle (service worker, pages, CLI) before any schema
 * parses. zod/mini rather than classic zod: classic schemas carry dozens of
 * methods each, which cost the service worker ~25 KB gzip and ~40 ms of
 * evaluation at every wake-up (issue 7's budgets). Schemas are built with
 * functions instead (`z.optional(x)`, `x.check(z.minLength(1))`).
 *
 * English messages: classic zod installs its English locale on first use,
 * zod/mini installs none (messages would read "Invalid input"). Users, the UI
 * and tests read zod's English messages, so install exactly that locale; only
 * it is bundled.
 *
 * jitless: extension pages and the service worker forbid eval (MV3 CSP). A
 * classic object schema probed `new Function` once, which the browser reports
 * as a CSP violation even though zod catches it. zod/mini objects never
 * generate code, but nothing here may ever try, so zod is told not to.
 */
z.config(z.locales.en());
z.config({ jitless: true });

export { z };
