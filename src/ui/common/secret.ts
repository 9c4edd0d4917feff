/**
 * Whether a redacted secret is set. src/config's redactSettings sends
 * `{set: boolean}`; a plain boolean is accepted too.
 */
export function secretIsSet(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return typeof value === 'object' && value !== null && (value as { set?: unknown }).set === true;
}
