import { CertificateFilterSchema } from '../../config/settings-schema';
import { lazySchema, z } from '../../lib/zod';
import type { RulesInForceView } from '../../shared/messages';

/**
 * The messages between the options page and its export worker
 * (export-worker.ts): one request, then progress, then a result or an error.
 * Both sides check what they receive: a reply the page cannot read is an
 * error it shows, never a file it offers.
 */

/** What the page asks for. The rules in force come from the background as they are (the background checked them). */
export interface ExportRequest {
  inForce: RulesInForceView;
  format: string;
  ports: number[] | null;
  /** The filter being edited on the page; null: the one in force. */
  filter: z.infer<typeof CertificateFilterSchema> | null;
}

export const ExportRequestSchema = lazySchema(() =>
  z.object({
    inForce: z.object({ sources: z.array(z.custom<RulesInForceView['sources'][number]>(isRecord)), certificateFilter: z.nullable(CertificateFilterSchema) }),
    format: z.string(),
    ports: z.nullable(z.array(z.number().check(z.int(), z.minimum(1), z.maximum(65535)))),
    filter: z.nullable(CertificateFilterSchema),
  }),
);

function isRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The steps of an export, in order: build the rule set, check it against every kind of host and port, write the file. */
export const EXPORT_PHASES = ['prepare', 'check', 'write'] as const;
export type ExportPhase = (typeof EXPORT_PHASES)[number];

export const PolicyExportViewSchema = lazySchema(() =>
  z.object({
    text: z.string(),
    filename: z.string().check(z.minLength(1)),
    mimeType: z.string().check(z.minLength(1)),
    report: z.array(z.object({ source: z.string(), index: z.number().check(z.int(), z.nonnegative()), outcome: z.string(), note: z.string() })),
    notes: z.array(z.string()),
    anyCertificate: z.boolean(),
  }),
);

export const ExportReplySchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.object({
      type: z.literal('progress'),
      phase: z.enum(EXPORT_PHASES),
      /** Rules done and in all (0 and 0 when the step does not count). */
      done: z.number().check(z.int(), z.nonnegative()),
      total: z.number().check(z.int(), z.nonnegative()),
    }),
    z.object({ type: z.literal('result'), view: PolicyExportViewSchema }),
    z.object({
      type: z.literal('error'),
      code: z.enum(['invalid-request', 'no-rules', 'too-large', 'internal']),
      message: z.string(),
    }),
  ]),
);
export type ExportReply = z.infer<typeof ExportReplySchema>;
export type ExportProgress = Extract<ExportReply, { type: 'progress' }>;
