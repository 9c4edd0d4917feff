/** The name automata the walk runs beside the globs: which strings are hosts, which are ports. */
export interface Validity {
  start: string;
  step(state: string, ch: string): string | null;
  accept(state: string): boolean;
}

/** A validity automaton with its states numbered and transitions tabled, shared across calls. */
export class Tabled {
  private readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly rows: Int32Array[] = [];
  private readonly accepting: boolean[] = [];
  readonly start: number;

  constructor(private readonly validity: Validity) {
    this.start = this.intern(validity.start);
  }

  private intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
      this.rows.push(new Int32Array(128).fill(-2));
      this.accepting.push(this.validity.accept(name));
    }
    return id;
  }

  accepts(id: number): boolean {
    return this.accepting[id] === true;
  }

  /** Next state, or -1 when the character makes the name invalid. */
  step(id: number, code: number): number {
    const row = this.rows[id]!;
    let next = row[code]!;
    if (next === -2) {
      const name = this.validity.step(this.names[id]!, String.fromCharCode(code));
      next = name === null ? -1 : this.intern(name);
      row[code] = next;
    }
    return next;
  }
}

export const DIGITS = '0123456789';
const HEX_LETTERS = 'abcdef';
/**
 * Host characters grouped by how the name automaton treats them (domain label
 * classes; IPv4 digit ranges 0 | 1 | 2 | 3–4 | 5 | 6–9 read backwards),
 * readable letters first.
 */
export const HOST_CLASSES = ['x', 'qzjkwvyutsrponmlihg-_', 'abcdef', '0', '1', '2', '34', '5', '6789', '.'];
const HOST_CHAR = /^[a-z0-9\-_]$/;

/**
 * Valid host names read right to left: a domain name (non-empty labels, last
 * label neither all digits nor `0x`+hex: the URL parser would treat it as a
 * number) or a canonical IPv4 address (four decimal labels 0–255 without
 * leading zeros).
 */
export const HOST_VALIDITY = new Tabled({
  start: 'Fs0|I0000',
  step(state, ch) {
    const [domain = 'x', ip = 'x'] = state.split('|');
    const nextDomain = domain === 'x' ? 'x' : domainStep(domain, ch);
    const nextIp = ip === 'x' ? 'x' : ipv4Step(ip, ch);
    if (nextDomain === 'x' && nextIp === 'x') return null;
    return `${nextDomain}|${nextIp}`;
  },
  accept(state) {
    const [domain = 'x', ip = 'x'] = state.split('|');
    return domainAccepts(domain) || ipv4Accepts(ip);
  },
});

// Domain state: 'F' + class + length flag while reading the last label, 'R' + length flag after it.
// Classes: s start, d all digits, h hex digits, X "x"+hex (read backwards), Z "0x"+hex, o other.
function domainStep(state: string, ch: string): string {
  const inFirst = state[0] === 'F';
  const length = state[state.length - 1];
  if (ch === '.') {
    if (length === '0') return 'x';
    if (inFirst && (state[1] === 'd' || state[1] === 'Z')) return 'x';
    return 'R0';
  }
  if (!HOST_CHAR.test(ch)) return 'x';
  if (!inFirst) return 'R1';
  return `F${nextClass(state[1] ?? 's', ch)}1`;
}

function nextClass(cls: string, ch: string): string {
  const digit = DIGITS.includes(ch);
  const hex = digit || HEX_LETTERS.includes(ch);
  switch (cls) {
    case 's':
    case 'd':
      if (digit) return 'd';
      if (hex) return 'h';
      return ch === 'x' ? 'X' : 'o';
    case 'h':
      if (hex) return 'h';
      return ch === 'x' ? 'X' : 'o';
    case 'X':
      return ch === '0' ? 'Z' : 'o';
    default:
      return 'o';
  }
}

function domainAccepts(state: string): boolean {
  if (state === 'x' || state.endsWith('0')) return false;
  return state[0] === 'R' || (state[1] !== 'd' && state[1] !== 'Z');
}

// IPv4 state: 'I' + completed labels + digits in the current label + flag + last digit read was 0.
// Read backwards, the flag after one digit is "ones ≤ 5", after two "last two digits ≤ 55".
function ipv4Step(state: string, ch: string): string {
  const labels = Number(state[1]);
  const length = Number(state[2]);
  const flag = state[3] === '1';
  const lastZero = state[4] === '1';
  if (ch === '.') {
    if (length === 0 || labels === 3) return 'x';
    if (length >= 2 && lastZero) return 'x';
    return `I${labels + 1}000`;
  }
  if (!DIGITS.includes(ch)) return 'x';
  const digit = Number(ch);
  if (length === 0) return `I${labels}1${digit <= 5 ? 1 : 0}${digit === 0 ? 1 : 0}`;
  if (length === 1) return `I${labels}2${digit < 5 || (digit === 5 && flag) ? 1 : 0}${digit === 0 ? 1 : 0}`;
  if (length === 2) return digit === 1 || (digit === 2 && flag) ? `I${labels}300` : 'x';
  return 'x';
}

function ipv4Accepts(state: string): boolean {
  if (state === 'x') return false;
  const length = Number(state[2]);
  return state[1] === '3' && length >= 1 && !(length >= 2 && state[4] === '1');
}
