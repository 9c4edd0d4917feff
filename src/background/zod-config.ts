import { z } from 'zod';

// Extension pages and the service worker forbid eval (MV3 CSP). zod would probe
// `new Function` once, which the browser reports as a CSP violation even though
// zod catches it; jitless skips the probe. Imported first by index.ts, so it
// runs before any schema parses.
z.config({ jitless: true });
