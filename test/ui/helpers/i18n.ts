import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setMessageSource } from '../../../src/ui/common/i18n';
import { REPO_ROOT } from '../../helpers/paths';

interface CatalogEntry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

export const englishCatalog = (): Record<string, CatalogEntry> =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, CatalogEntry>;

/**
 * browser.i18n.getMessage as Chrome and Firefox implement it, over the real
 * English catalogue: named placeholders ($name$, case-insensitive) become their
 * content, then $1…$9 become the substitutions, and $$ is a dollar sign.
 */
export function catalogGetMessage(catalog: Record<string, CatalogEntry>) {
  return (key: string, substitutions: string[] = []): string => {
    const entry = catalog[key];
    if (!entry) return '';
    const placeholders = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, value]) => [name.toLowerCase(), value.content]));
    return entry.message
      .replace(/\$([a-zA-Z0-9_@]+)\$/g, (match, name: string) => placeholders[name.toLowerCase()] ?? match)
      .replace(/\$(\$|[1-9])/g, (_match, which: string) => (which === '$' ? '$' : (substitutions[Number(which) - 1] ?? '')));
  };
}

/** Every page test renders with the real English text. */
export function useEnglish(): void {
  setMessageSource(catalogGetMessage(englishCatalog()));
}
