/**
 * Seeded, realistic benchmark data: rule sets shaped like the ones
 * organisations push — mostly exact hosts and `*.domain` patterns, some other
 * globs, about 15% deny rules — and URL streams mixing hits, near misses and
 * unrelated hosts. The same seed gives the same data in every run and process.
 */
export interface RawBenchRule {
  host: string;
  port?: string;
  action: 'useEnrollmentCertificate' | 'noCertificate';
}

/** mulberry32: tiny, fast, good enough to shuffle benchmark data reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'acme',
  'globex',
  'initech',
  'umbrella',
  'stark',
  'wayne',
  'tyrell',
  'cyberdyne',
  'hooli',
  'vandelay',
  'soylent',
  'wonka',
  'aperture',
  'oscorp',
  'massive',
  'dynamic',
];
const SUBS = ['www', 'mail', 'vpn', 'intranet', 'app', 'portal', 'sso', 'api', 'git', 'wiki', 'hr', 'pay', 'crm', 'erp', 'files', 'login'];
const TLDS = ['com', 'net', 'org', 'io', 'de', 'co.uk', 'fr', 'ch'];

export interface BenchData {
  rules: RawBenchRule[];
  urls: string[];
}

export function generateBenchData(count: number, urlCount: number, seed = 7): BenchData {
  const random = seededRandom(seed ^ count);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const domainCount = Math.max(20, Math.floor(count / 8));
  const domains = Array.from({ length: domainCount }, (_, i) => `${pick(WORDS)}${i}.${pick(TLDS)}`);
  const host = () => `${pick(SUBS)}${random() < 0.4 ? Math.floor(random() * 50) : ''}.${pick(domains)}`;

  const rules: RawBenchRule[] = [];
  for (let i = 0; i < count; i++) {
    const shape = random();
    let pattern: string;
    if (shape < 0.55) pattern = host();
    else if (shape < 0.83) pattern = random() < 0.7 ? `*.${pick(domains)}` : `*.${host()}`;
    else if (shape < 0.87) pattern = `*${pick(domains)}`;
    else if (shape < 0.9) pattern = `${pick(SUBS)}${i}.*`;
    else if (shape < 0.93)
      pattern = random() < 0.5 ? `10.${i % 256}.${Math.floor(i / 256) % 256}.*` : `10.${i % 256}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
    else if (shape < 0.995) pattern = random() < 0.5 ? `${pick(SUBS)}-*.${pick(domains)}` : `${pick(SUBS)}*.${pick(SUBS)}.${pick(domains)}`;
    else pattern = `*.${pick(SUBS)}${i}.*`;
    const portShape = random();
    const port =
      portShape < 0.8
        ? undefined
        : portShape < 0.85
          ? ''
          : portShape < 0.93
            ? '8443'
            : portShape < 0.97
              ? '*'
              : portShape < 0.99
                ? '*443'
                : String(1024 + Math.floor(random() * 9000));
    const action = random() < 0.15 ? 'noCertificate' : 'useEnrollmentCertificate';
    rules.push(port === undefined ? { host: pattern, action } : { host: pattern, port, action });
  }

  const urls: string[] = [];
  for (let i = 0; i < urlCount; i++) {
    const kind = random();
    let target: string;
    let port = random() < 0.85 ? '' : pick([':8443', ':443', ':4443', ':9000']);
    const rule = pick(rules);
    const filled = rule.host.replace(/\*/g, () => pick(['', 'x', 'eu.', 'a1.b2.', 'dev-', `${pick(SUBS)}.`]));
    if (kind < 0.4) {
      target = filled.startsWith('.') ? `w${filled}` : filled; // a hit, or nearly: the filler decides
      if (rule.port && rule.port !== '' && rule.port !== '*' && !rule.port.includes('*')) port = `:${rule.port}`;
    } else if (kind < 0.7) {
      // Near misses: the apex of a `*.` rule, a sibling label, a look-alike domain.
      const near = random();
      if (rule.host.startsWith('*.')) target = rule.host.slice(2);
      else if (near < 0.5) target = filled.replace(/^[^.]*/, (label) => `${label}x`);
      else target = `${filled.replace(/\.[^.]*$/, '')}.evil`;
      if (target.startsWith('.') || target.endsWith('.') || target === '') target = `w${target}x`;
    } else {
      target = `${pick(['cdn', 'static', 'img', 'news', 'shop'])}${Math.floor(random() * 1000)}.${pick(['example', 'cloudhost', 'media', 'search'])}${Math.floor(random() * 100)}.${pick(TLDS)}`;
    }
    urls.push(`https://${target.replace(/\.+/g, '.').replace(/^\./, '')}${port}/path/${i}?q=${i}`);
  }
  return { rules, urls };
}
