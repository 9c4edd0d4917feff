import { z } from '../../lib/zod';

/**
 * Which certificates Chrome may pick (certificate_principal_pattern.cc): CN
 * and L must equal exactly, the certificate must carry O and OU among its
 * values; an empty string counts as "not set". Both ISSUER and SUBJECT must
 * match when both are given.
 */
export const PrincipalSchema = z.object({
  CN: z.optional(z.string().check(z.minLength(1))),
  L: z.optional(z.string().check(z.minLength(1))),
  O: z.optional(z.string().check(z.minLength(1))),
  OU: z.optional(z.string().check(z.minLength(1))),
});
export type Principal = z.infer<typeof PrincipalSchema>;

export const CertFilterSchema = z.object({
  issuer: z.optional(PrincipalSchema),
  subject: z.optional(PrincipalSchema),
});
export type CertFilter = z.infer<typeof CertFilterSchema>;

/** The filter as the policy writes it. */
export interface ChromeFilter {
  ISSUER?: Principal;
  SUBJECT?: Principal;
}

/**
 * Chrome has no "never send" action. An entry whose filter no certificate can
 * satisfy makes Chrome ask the user instead of choosing: issuer and subject
 * common name must both equal this name, which uses the reserved `.invalid`
 * name space (RFC 2606), so only a certificate deliberately issued by and to
 * that name could match.
 */
export const NEVER_MATCH_CN = 'never-auto-select.cert-rules.invalid';

export const NEVER_MATCH_FILTER: ChromeFilter = Object.freeze({
  ISSUER: Object.freeze({ CN: NEVER_MATCH_CN }),
  SUBJECT: Object.freeze({ CN: NEVER_MATCH_CN }),
}) as ChromeFilter;

function principal(input: Principal | undefined): Principal | undefined {
  if (!input) return undefined;
  const out: Principal = {};
  for (const key of ['CN', 'L', 'O', 'OU'] as const) {
    const value = input[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The allow entries' filter; `{}` when no field is given (any certificate the server accepts). */
export function toChromeFilter(filter: CertFilter): ChromeFilter {
  const out: ChromeFilter = {};
  const issuer = principal(filter.issuer);
  const subject = principal(filter.subject);
  if (issuer) out.ISSUER = issuer;
  if (subject) out.SUBJECT = subject;
  return out;
}

/**
 * What an export without a filter means, in one place: the CLI prints it
 * among its notes and the options page shows it next to its downloads.
 */
export const NO_CERTIFICATE_FILTER_NOTE =
  'No certificate filter was given: on these sites Chrome will auto-select any client certificate the server accepts, not only the enrollment certificate. Give the issuer or subject (CN, O, OU) to restrict it.';

export function isEmptyFilter(filter: CertFilter): boolean {
  return Object.keys(toChromeFilter(filter)).length === 0;
}

/** A filter naming the never-match name would make allow entries match nothing: refuse it. */
export function filterProblem(filter: CertFilter): string | null {
  const values = [filter.issuer, filter.subject].flatMap((p) => (p ? Object.values(p) : []));
  return values.includes(NEVER_MATCH_CN) ? `"${NEVER_MATCH_CN}" is reserved for entries that must match no certificate` : null;
}
