/** Where each Chromium-based browser reads its policy (docs/chrome-autoselect.md, "Where the policy lives"). */
export interface BrowserTarget {
  id: 'chrome' | 'edge';
  name: string;
  /** Registry key under HKEY_LOCAL_MACHINE holding the policy's numbered values. */
  registryKey: string;
  /** macOS preference domain, also the configuration profile payload type. */
  preferenceDomain: string;
  /** Directories whose *.json files the browser reads on Linux. */
  linuxDirectories: string[];
}

export const BROWSERS: Record<'chrome' | 'edge', BrowserTarget> = {
  chrome: {
    id: 'chrome',
    name: 'Google Chrome',
    registryKey: 'SOFTWARE\\Policies\\Google\\Chrome\\AutoSelectCertificateForUrls',
    preferenceDomain: 'com.google.Chrome',
    linuxDirectories: ['/etc/opt/chrome/policies/managed/', '/etc/chromium/policies/managed/'],
  },
  edge: {
    id: 'edge',
    name: 'Microsoft Edge',
    registryKey: 'SOFTWARE\\Policies\\Microsoft\\Edge\\AutoSelectCertificateForUrls',
    preferenceDomain: 'com.microsoft.Edge',
    linuxDirectories: ['/etc/opt/edge/policies/managed/'],
  },
};

export const POLICY_NAME = 'AutoSelectCertificateForUrls';
