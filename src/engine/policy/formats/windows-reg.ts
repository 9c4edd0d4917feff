import type { BrowserTarget } from './browsers';

/** A .reg string value: backslash and double quote are escaped; JSON has no raw line breaks. */
export function regString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * A regedit file for HKLM. The key is deleted first so values left over from
 * an export with more entries disappear; then one string value per entry,
 * named "1", "2", … as Chrome's list policies are stored. CRLF line ends.
 */
export function windowsReg(entries: readonly string[], browser: BrowserTarget): string {
  const key = `HKEY_LOCAL_MACHINE\\${browser.registryKey}`;
  const lines = [
    'Windows Registry Editor Version 5.00',
    '',
    `; ${browser.name}: AutoSelectCertificateForUrls from client certificate rules (cert-rules export)`,
    `[-${key}]`,
    '',
    `[${key}]`,
    ...entries.map((entry, i) => `${regString(String(i + 1))}=${regString(entry)}`),
    '',
  ];
  return lines.join('\r\n');
}

/** regedit reads UTF-16LE with a byte-order mark for any text outside ASCII. */
export function utf16leWithBom(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    out[2 + i * 2] = unit & 0xff;
    out[3 + i * 2] = unit >> 8;
  }
  return out;
}
