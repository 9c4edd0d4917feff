import { describe, expect, it } from 'vitest';
import { mergeAll, mergeSorted } from '../../../src/engine/policy/sorted-lists';

describe('sorted lists', () => {
  it('merges two ascending lists, keeping an element in both twice', () => {
    expect(mergeSorted([1, 4, 9], [2, 4, 10, 11])).toEqual([1, 2, 4, 4, 9, 10, 11]);
    expect(mergeSorted([], [3])).toEqual([3]);
  });

  it('merges any number of ascending lists as sorting their concatenation would', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let round = 0; round < 200; round += 1) {
      const lists = Array.from({ length: next() % 6 }, () =>
        Array.from({ length: next() % (round % 10 === 0 ? 300 : 8) }, () => next() % 1000).sort((a, b) => a - b),
      );
      expect(mergeAll(lists)).toEqual(lists.flat().sort((a, b) => a - b));
    }
  });

  it('never hands back a list it was given', () => {
    const only = [1, 2, 3];
    const merged = mergeAll([[], only]);
    expect(merged).toEqual(only);
    expect(merged).not.toBe(only);
    expect(mergeAll([])).toEqual([]);
  });
});
