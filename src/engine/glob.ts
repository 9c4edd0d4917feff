/**
 * `*`-only glob matching in linear time: the pattern is split at its stars
 * once; a match anchors the first piece at the start, the last at the end, and
 * finds the middle pieces left to right, each at its leftmost place. For
 * star-only globs the leftmost choice is always safe, so there is no
 * backtracking and no regular expression is ever built from rule text.
 */
export interface Glob {
  /** The pattern itself, `*` collapsed. */
  readonly source: string;
  /** Literal text before the first star (the whole pattern when it has none). */
  readonly head: string;
  /** Literal text after the last star; empty when there is no star. */
  readonly tail: string;
  /** Literal pieces between stars, in order. */
  readonly middle: readonly string[];
  readonly hasStar: boolean;
  /** Shortest string the pattern can match. */
  readonly minLength: number;
}

export function compileGlob(pattern: string): Glob {
  const pieces = pattern.split('*');
  if (pieces.length === 1) {
    return { source: pattern, head: pattern, tail: '', middle: [], hasStar: false, minLength: pattern.length };
  }
  const head = pieces[0] ?? '';
  const tail = pieces[pieces.length - 1] ?? '';
  const middle = pieces.slice(1, -1).filter((piece) => piece.length > 0);
  const minLength = head.length + tail.length + middle.reduce((sum, piece) => sum + piece.length, 0);
  return { source: pattern, head, tail, middle, hasStar: true, minLength };
}

export function globMatches(glob: Glob, text: string): boolean {
  if (!glob.hasStar) return text === glob.head;
  if (text.length < glob.minLength) return false;
  if (!text.startsWith(glob.head) || !text.endsWith(glob.tail)) return false;
  let from = glob.head.length;
  const end = text.length - glob.tail.length;
  for (const piece of glob.middle) {
    const at = text.indexOf(piece, from);
    if (at < 0 || at + piece.length > end) return false;
    from = at + piece.length;
  }
  return true;
}

/** Collapses runs of `*` into one, as docs/rules.md §2 asks for hosts and ports. */
export function collapseStars(pattern: string): string {
  return pattern.replace(/\*{2,}/g, '*');
}

/**
 * Whether every string `inner` matches is also matched by `outer` (language
 * inclusion), used by lint. `inner`'s stars are treated as a symbol only a star
 * of `outer` can absorb; that is exact for star-only globs over an alphabet
 * larger than the patterns' literals, which host and port alphabets are.
 */
export function globCovers(outer: Glob, inner: Glob): boolean {
  if (!outer.hasStar) return !inner.hasStar && outer.head === inner.head;
  // Match outer against inner's text, where inner's '*' is an opaque symbol.
  // outer's literal pieces must not swallow a '*' of inner: '*' never occurs in
  // outer's pieces, so plain string search already guarantees that.
  return globMatches(outer, inner.source);
}
