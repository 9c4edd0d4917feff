/**
 * Firefox chooses client certificates with one global preference,
 * security.default_personal_cert: "Ask Every Time" (its default) or "Select
 * Automatically" (sends a certificate to any site that asks). There is no
 * per-site equivalent of the rules, so the safe policy is to lock "Ask Every
 * Time". The Preferences policy accepts this preference (it is on the
 * allow-list of security.* preferences in Firefox's enterprise policy code, browser/components/enterprisepolicies/Policies.jsm, now Policies.sys.mjs).
 */
export const FIREFOX_NOTE =
  'Firefox has no per-site client certificate selection: security.default_personal_cert is global ("Ask Every Time" or "Select Automatically", which sends a certificate to every site that asks). This policies.json locks "Ask Every Time", so Firefox asks on every site; put it in /etc/firefox/policies/ (Linux), the distribution folder next to firefox.exe (Windows), or Firefox.app/Contents/Resources/distribution (macOS).';

export function firefoxPolicies(): string {
  const policies = {
    policies: {
      Preferences: {
        'security.default_personal_cert': { Value: 'Ask Every Time', Status: 'locked' },
      },
    },
  };
  return `${JSON.stringify(policies, null, 2)}\n`;
}
