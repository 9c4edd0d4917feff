import { POLICY_NAME } from './browsers';

/** A managed-policy JSON file, e.g. /etc/opt/chrome/policies/managed/cert-rules.json. */
export function linuxJson(entries: readonly string[]): string {
  return `${JSON.stringify({ [POLICY_NAME]: entries }, null, 2)}\n`;
}
