import { describe, expect, it } from 'vitest';
import { DEEP_FACTOR, depthFactor } from './property-runs';

describe('TEST_DEPTH (property test run counts)', () => {
  it('runs the written counts by default, ten times as many under deep', () => {
    expect(depthFactor({})).toBe(1);
    expect(depthFactor({ TEST_DEPTH: '' })).toBe(1);
    expect(depthFactor({ TEST_DEPTH: 'default' })).toBe(1);
    expect(depthFactor({ TEST_DEPTH: 'deep' })).toBe(DEEP_FACTOR);
    expect(DEEP_FACTOR).toBe(10);
  });

  it('refuses any other value instead of running the short search', () => {
    for (const value of ['Deep', 'deeper', '10', ' deep', 'quick']) {
      expect(() => depthFactor({ TEST_DEPTH: value }), value).toThrow(`TEST_DEPTH must be "default" or "deep", not "${value}"`);
    }
  });
});
