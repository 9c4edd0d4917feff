/** Two ascending lists as one ascending list (an element in both comes twice). */
export function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/**
 * Ascending lists as one ascending list, shortest first: a few short lists
 * beside one long one (the `*` glob's hundreds of rules) cost the long one's
 * length once or twice, not a sort of it.
 */
export function mergeAll(lists: readonly (readonly number[])[]): number[] {
  const todo = lists.filter((list) => list.length > 0).sort((a, b) => a.length - b.length);
  if (todo.length === 0) return [];
  let merged: readonly number[] = todo[0]!;
  for (let k = 1; k < todo.length; k += 1) merged = mergeSorted(merged, todo[k]!);
  return merged === todo[0] ? [...merged] : (merged as number[]);
}
