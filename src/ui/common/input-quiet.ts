/**
 * Work that can wait while the user types: advice (lint warnings) that
 * arrives mid-word would make that keystroke's frame wait for a long update
 * of thousands of rules. It is applied once the page has had no key, input or
 * pointer press for a moment; until the page watches its input
 * (watchInput), at once.
 */

/** How long the page is left alone after a key or click before waiting work runs. */
export const INPUT_QUIET_MS = 300;

let lastInput = Number.NEGATIVE_INFINITY;
let now = () => performance.now();

/** Notes the time of every key, input and pointer press on the page (capture, passive: it never delays them). */
export function watchInput(target: EventTarget, clock: () => number = () => performance.now()): () => void {
  now = clock;
  const note = () => {
    lastInput = now();
  };
  const types = ['keydown', 'input', 'pointerdown'];
  for (const type of types) target.addEventListener(type, note, { capture: true, passive: true });
  return () => {
    for (const type of types) target.removeEventListener(type, note, { capture: true });
    lastInput = Number.NEGATIVE_INFINITY;
    now = () => performance.now();
  };
}

/** Runs `apply` once INPUT_QUIET_MS have passed since the last input (at once when that is so already); returns a cancel. */
export function whenInputQuiet(apply: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = () => {
    timer = undefined;
    const wait = lastInput + INPUT_QUIET_MS - now();
    if (wait > 0) timer = setTimeout(attempt, wait);
    else apply();
  };
  attempt();
  return () => clearTimeout(timer);
}
