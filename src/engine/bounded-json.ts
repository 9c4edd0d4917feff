/**
 * JSON text from the console (its answers, and the JSON strings inside a
 * profile or any rule document), parsed only when it nests at most
 * MAX_JSON_DEPTH levels. The documented answers nest about six levels; a very
 * deep value (say 200,000 nested arrays) parses fine but then overflows the
 * stack of every recursive step after it (comparison, storage, cloning), so it
 * is refused here, counted by a loop over the text before anything recurses.
 */
export const MAX_JSON_DEPTH = 64;

export type BoundedJson = { ok: true; value: unknown } | { ok: false; message: string };

export function parseBoundedJson(text: string, maxDepth = MAX_JSON_DEPTH): BoundedJson {
  // One pass over the text; brackets inside strings do not count.
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (inString) {
      if (char === '\\') at++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      if (++depth > maxDepth) return { ok: false, message: `it nests deeper than ${maxDepth} levels (at character ${at})` };
    } else if (char === ']' || char === '}') {
      depth--;
    }
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `it is not valid JSON (${(error as Error).message})` };
  }
}
