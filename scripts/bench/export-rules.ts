/**
 * Writes one of the export benchmark's rule sets (export-data.ts) to stdout,
 * to time the shipped CLI on it (docs/performance.md):
 *
 *   npx tsx scripts/bench/export-rules.ts hosts 5000 > /tmp/hosts-5000.json
 *   /usr/bin/time -f '%e s, %M KB' node dist/cli/cert-rules.mjs export --format chrome-json --issuer-cn "Acme CA" --rules /tmp/hosts-5000.json > /dev/null
 */
import { EXPORT_MIXES, generateExportRules, type ExportMix } from './export-data';

const [mix, count] = process.argv.slice(2);
if (!EXPORT_MIXES.includes(mix as ExportMix) || !Number.isInteger(Number(count)) || Number(count) <= 0) {
  process.stderr.write(`usage: export-rules.ts (${EXPORT_MIXES.join(' | ')}) COUNT\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(generateExportRules(mix as ExportMix, Number(count)), null, 1)}\n`);
