import { performance } from 'node:perf_hooks';

export function median(samples: readonly number[]): number {
  return percentile(samples, 0.5);
}

/** Nearest-rank percentile; NaN for no samples. */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] as number;
}

/** The median cost of the two timer reads around a call, so it can be taken out of each sample. */
export function timerOverheadNs(): number {
  const samples: number[] = [];
  for (let i = 0; i < 50_000; i++) {
    const start = performance.now();
    samples.push((performance.now() - start) * 1e6);
  }
  return median(samples);
}
