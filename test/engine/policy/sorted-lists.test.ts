import { describe, expect, it } from 'vitest';
import { mergeSorted } from '../../../src/engine/policy/sorted-lists';

describe('sorted lists', () => {
  it('merges two ascending lists, keeping an element in both twice', () => {
    expect(mergeSorted([1, 4, 9], [2, 4, 10, 11])).toEqual([1, 2, 4, 4, 9, 10, 11]);
    expect(mergeSorted([], [3])).toEqual([3]);
    expect(mergeSorted([], [])).toEqual([]);
  });

  it('merges two ascending lists as sorting their concatenation would', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const list = (round: number) => Array.from({ length: next() % (round % 10 === 0 ? 300 : 8) }, () => next() % 1000).sort((a, b) => a - b);
    for (let round = 0; round < 200; round += 1) {
      const [a, b] = [list(round), list(round)];
      expect(mergeSorted(a, b)).toEqual([...a, ...b].sort((x, y) => x - y));
    }
  });
});
