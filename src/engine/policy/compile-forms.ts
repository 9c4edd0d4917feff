import { compileGlob, globMatches } from '../glob';
import type { NormalizedRule } from '../model';
import type { HostForm } from './chrome-pattern';

/**
 * The ports a rule's entries are written with: its own port, or null for any
 * port (`*`); a port glob such as `*443` only as the listed ports it matches
 * (`--ports`), as a Chrome pattern has one port or any. `reason` says what an
 * allow rule loses that way.
 */
export function portForms(rule: NormalizedRule, listed: readonly string[] | null): { ports: (string | null)[]; reason: string | null } {
  if (!rule.port.includes('*')) return { ports: [rule.port], reason: null };
  if (rule.port === '*') return { ports: [null], reason: null };
  const deny = rule.action === 'noCertificate';
  if (!listed) {
    return {
      ports: [],
      reason: deny
        ? null
        : `the port pattern "${rule.port}" has no Chrome equivalent (a pattern's port is one number or any); give the ports it stands for with --ports`,
    };
  }
  const glob = compileGlob(rule.port);
  const matching = listed.filter((port) => globMatches(glob, port));
  if (deny) return { ports: matching, reason: null };
  return {
    ports: matching,
    reason:
      matching.length > 0
        ? `port pattern "${rule.port}" written as the listed port${matching.length > 1 ? 's' : ''} ${matching.join(', ')} only`
        : `none of the listed ports (${listed.join(', ')}) matches the port pattern "${rule.port}"`,
  };
}

export function formatHostPort(host: string, port: string): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function formatHostNote(form: HostForm): string {
  return form.kind === 'exact' ? `the one host ${form.host}` : form.kind === 'domain' ? `[*.]${form.domain}` : '*';
}
