import { z } from '../../../src/lib/zod';
import { PROFILE_SHAPES } from './profile-shapes';

/**
 * Fault injection for the console emulator, switchable per resource at run time
 * (programmatically with `setFault`, or over HTTP with `POST /__admin/faults`).
 */
export const ResourceSchema = z.enum(['login', 'ping', 'login-page', 'catalog', 'profile', 'default', 'policy', 'any']);
export type Resource = z.infer<typeof ResourceSchema>;

const common = {
  /** Apply to the next N matching requests only, then clear itself. Unlimited when absent. */
  times: z.optional(z.number().check(z.int(), z.positive())),
};

export const FaultSchema = z.discriminatedUnion('type', [
  /** Answer normally, but only after `ms`. */
  z.object({ type: z.literal('delay'), ms: z.number().check(z.int(), z.nonnegative()), ...common }),
  /** Accept the request and never answer (until the emulator closes). */
  z.object({ type: z.literal('hang'), ...common }),
  /**
   * Hold the request until the faults change (`setFault`, `clearFaults`); it then meets the fault set
   * then, or none: a console exactly as slow as a test needs, whose answer the test chooses when it ends.
   */
  z.object({ type: z.literal('hold'), ...common }),
  /** Send headers and half the body, then never finish. */
  z.object({ type: z.literal('hang-body'), ...common }),
  /** An HTTP status (500, 502, 503, 429, 401, 403, …), optionally with Retry-After. */
  z.object({
    type: z.literal('status'),
    status: z.number().check(z.int(), z.gte(100), z.lte(599)),
    retryAfter: z.optional(z.string()),
    html: z.optional(z.boolean()),
    ...common,
  }),
  /** The HTML login page (HTTP 200) where JSON is expected: what an expired session looks like. */
  z.object({ type: z.literal('login-page'), ...common }),
  /** A same-origin redirect to the login page, as a servlet container does for a missing session. */
  z.object({ type: z.literal('login-redirect'), ...common }),
  /** An error "as a block of HTML" with HTTP 200. */
  z.object({ type: z.literal('html-error'), ...common }),
  /** Content-Length promises the full body; half is sent, then the connection is destroyed. */
  z.object({ type: z.literal('truncated'), ...common }),
  /** Half of the JSON body, ending cleanly (no Content-Length). */
  z.object({ type: z.literal('truncated-json'), ...common }),
  z.object({ type: z.literal('invalid-json'), ...common }),
  /** The normal body with a wrong content type. */
  z.object({ type: z.literal('content-type'), contentType: z._default(z.string(), 'text/plain'), ...common }),
  z.object({ type: z.literal('empty-body'), ...common }),
  /** A body of `bytes` (default 1 MiB + 1 KiB), streamed without Content-Length. */
  z.object({ type: z.literal('huge-body'), bytes: z.optional(z.number().check(z.int(), z.positive())), ...common }),
  /** HTTP 200 with `{"status":"Error"}`. */
  z.object({ type: z.literal('status-error'), message: z.optional(z.string()), ...common }),
  /** JSON in an unexpected shape (no profiles / no profile id). */
  z.object({ type: z.literal('wrong-shape'), ...common }),
  /** A 302 to `location` (another origin by default in tests). */
  z.object({ type: z.literal('redirect'), location: z.string(), status: z.optional(z.number().check(z.int())), ...common }),
  /** Close the connection without answering. */
  z.object({ type: z.literal('reset'), ...common }),
  // Profile data faults. Each answers with a fresh profile_data_stamp, as if an admin had just edited the profile.
  /** `profile_data` JSON-encoded twice (a string holding a string): not a tolerated variant. */
  z.object({ type: z.literal('double-encoded'), ...common }),
  /** `profile_data` as an object instead of a string: a tolerated variant. */
  z.object({ type: z.literal('profile-data-object'), ...common }),
  /** The rules key holding a JSON string of the array: a tolerated variant. */
  z.object({ type: z.literal('rules-string'), ...common }),
  /** `data` holding the rules object directly: a tolerated variant. */
  z.object({ type: z.literal('data-direct'), ...common }),
  /** One extra rule with an unknown action: rejects the profile. */
  z.object({ type: z.literal('unknown-action'), ...common }),
  /** One extra invalid noCertificate rule: rejects the profile. */
  z.object({ type: z.literal('invalid-deny'), ...common }),
  /** One extra invalid allow rule: dropped with a warning, the profile stays acceptable. */
  z.object({ type: z.literal('invalid-allow'), ...common }),
  /** More rules than a profile may hold (default 5,001). */
  z.object({ type: z.literal('too-many-rules'), count: z.optional(z.number().check(z.int(), z.positive())), ...common }),
  /** `profile_data` without the rules key. */
  z.object({ type: z.literal('no-rules-key'), ...common }),
  /** The answer names a different profile than the one asked for. */
  z.object({ type: z.literal('other-profile'), ...common }),
  /** An answer to the profile call that is not the profile asked for (profile-shapes.ts lists them). */
  z.object({ type: z.enum(PROFILE_SHAPES), ...common }),
  /** One more deny rule with `depth` (default 200,000) nested arrays in an unknown key; in `profile_data` as a string, or as an object with `asObject`. */
  z.object({ type: z.literal('deep-nesting'), depth: z.optional(z.number().check(z.int(), z.positive())), asObject: z.optional(z.boolean()), ...common }),
  /** The default-profile answer names a profile id that does not exist. */
  z.object({ type: z.literal('unknown-default'), ...common }),
  /** The default-profile answer has no default set. */
  z.object({ type: z.literal('no-default'), ...common }),
  /** The session is dropped just before this request is handled (expiry mid-sync). */
  z.object({ type: z.literal('expire-session'), ...common }),
]);
export type Fault = z.infer<typeof FaultSchema>;
export type FaultInput = z.input<typeof FaultSchema>;

export const FaultRequestSchema = z.intersection(z.object({ resource: ResourceSchema }), FaultSchema);

/** Active faults, one per resource; `any` applies where no specific one is set. */
export class FaultBoard {
  private readonly faults = new Map<Resource, Fault>();
  private readonly remaining = new Map<Resource, number>();
  /** Requests held by a `hold` fault: each goes on when the faults change. */
  private held: (() => void)[] = [];

  set(resource: Resource, fault: FaultInput): void {
    const parsed = FaultSchema.parse(fault);
    this.releaseHeld();
    this.faults.set(resource, parsed);
    if (parsed.times !== undefined) this.remaining.set(resource, parsed.times);
    else this.remaining.delete(resource);
  }

  /** Resolves once the faults change (set or clear). */
  hold(): Promise<void> {
    return new Promise((resolve) => this.held.push(resolve));
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const release of held) release();
  }

  clear(resource?: Resource): void {
    this.releaseHeld();
    if (resource) {
      this.faults.delete(resource);
      this.remaining.delete(resource);
    } else {
      this.faults.clear();
      this.remaining.clear();
    }
  }

  list(): Array<{ resource: Resource } & Fault> {
    return [...this.faults].map(([resource, fault]) => ({ resource, ...fault }));
  }

  /** The fault for this request, consuming one use of a limited fault. */
  take(resource: Resource): Fault | null {
    const key = this.faults.has(resource) ? resource : this.faults.has('any') ? 'any' : null;
    if (!key) return null;
    const fault = this.faults.get(key) ?? null;
    const left = this.remaining.get(key);
    if (left !== undefined) {
      if (left <= 1) this.clear(key);
      else this.remaining.set(key, left - 1);
    }
    return fault;
  }
}
