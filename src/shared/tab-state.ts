import { lazySchema, z } from '../lib/zod';
import { DecisionSchema, NormalizedRuleSchema, ReasonSchema } from '../engine/model';

/** The rule a verdict reports: the normalised rule itself. */
export const ReportedRuleSchema = NormalizedRuleSchema;

export const VerdictSchema = lazySchema(() =>
  z.object({
    decision: DecisionSchema,
    reason: ReasonSchema,
    rule: z.nullable(ReportedRuleSchema),
  }),
);
export type VerdictView = z.infer<typeof VerdictSchema>;

/** One distinct TLS endpoint (host:port) a tab contacted, with the rules' decision for it. */
export const EndpointSchema = lazySchema(() =>
  z.object({
    host: z.string(),
    port: z.string(),
    verdict: VerdictSchema,
    /** How many requests went there (navigations and sub-resources). */
    requests: z.number().check(z.int(), z.nonnegative()),
    lastSeen: z.number(),
  }),
);
export type Endpoint = z.infer<typeof EndpointSchema>;

/** A request that failed because the server demanded a client certificate. */
export const ClientAuthEventSchema = lazySchema(() =>
  z.object({
    url: z.string(),
    host: z.string(),
    port: z.string(),
    /** The browser's error string, e.g. net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED. */
    error: z.string(),
    resourceType: z.string(),
    verdict: VerdictSchema,
    time: z.number(),
  }),
);
export type ClientAuthEvent = z.infer<typeof ClientAuthEventSchema>;

export const MAX_ENDPOINTS_PER_TAB = 200;
export const MAX_CLIENT_AUTH_EVENTS_PER_TAB = 50;

/** Everything kept per tab (storage.session), cleared on close and on a new top-level navigation. */
export const TabStateSchema = lazySchema(() =>
  z.object({
    tabId: z.number().check(z.int()),
    /** The top-level document's URL and its decision. */
    url: z.string(),
    host: z.nullable(z.string()),
    port: z.nullable(z.string()),
    verdict: VerdictSchema,
    endpoints: z.array(EndpointSchema).check(z.maxLength(MAX_ENDPOINTS_PER_TAB)),
    /** Endpoints seen after the bound was reached are counted, not kept. */
    endpointsDropped: z.number().check(z.int(), z.nonnegative()),
    clientAuthEvents: z.array(ClientAuthEventSchema).check(z.maxLength(MAX_CLIENT_AUTH_EVENTS_PER_TAB)),
    updatedAt: z.number(),
  }),
);
export type TabState = z.infer<typeof TabStateSchema>;
