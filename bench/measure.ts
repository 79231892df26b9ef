/** Small measuring helpers for the benchmarks: heap snapshots after GC, timers, percentiles. */

/** Memory after a full GC (needs `node --expose-gc`; without it the numbers include garbage). */
export interface MemorySnapshot {
  /** V8 heap in use, MB. */
  heapMB: number;
  /** ArrayBuffer/Buffer memory outside the V8 heap (typed arrays, file buffers), MB. */
  buffersMB: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** True when GC can be forced, so heap numbers are meaningful. */
export const canGc = typeof gc === 'function';

/**
 * Memory after a full GC. Freed ArrayBuffers are released by a background sweeper, so this waits
 * briefly and collects again before reading.
 */
export async function memory(): Promise<MemorySnapshot> {
  if (gc) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
    gc();
  }
  const m = process.memoryUsage();
  return { heapMB: m.heapUsed / 2 ** 20, buffersMB: m.arrayBuffers / 2 ** 20 };
}

/** Growth from `before` to now: V8 heap, buffers, and both together. */
export async function growth(before: MemorySnapshot): Promise<{ heapMB: number; buffersMB: number; totalMB: number }> {
  const now = await memory();
  const heapMB = now.heapMB - before.heapMB;
  const buffersMB = now.buffersMB - before.buffersMB;
  return { heapMB, buffersMB, totalMB: heapMB + buffersMB };
}

/** Runs `fn` and returns its result with the elapsed milliseconds. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

/** The p-th percentile (0–100) of `values` by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Rounds for tables and JSON: 3 significant decimals below 10, 1 decimal above. */
export function round(n: number): number {
  if (!Number.isFinite(n)) return n;
  return Math.abs(n) < 10 ? Math.round(n * 1000) / 1000 : Math.round(n * 10) / 10;
}
