/**
 * Top-k selection for the lexical index: the `k` best slots by score, best first, ties by slot
 * (that is, by passage order).
 */

/** Best first; ties by slot (passage order). */
function better(a: [number, number], b: [number, number]): number {
  return b[1] - a[1] || a[0] - b[0];
}

/** The `k` best of `slots[0..count)` by score as `[slot, score]`, best first (ties by slot), via a bounded min-heap. */
export function topK(
  slots: ArrayLike<number>,
  count: number,
  scores: Float64Array,
  k: number,
  allowed?: Uint8Array,
): Array<[number, number]> {
  const heap: Array<[number, number]> = [];
  // heap[0] is the worst kept entry: lower score, or equal score and higher slot.
  const worse = (a: [number, number], b: [number, number]) => a[1] < b[1] || (a[1] === b[1] && a[0] > b[0]);
  for (let i = 0; i < count; i++) {
    const s = slots[i] as number;
    if (allowed && allowed[s] !== 1) continue;
    const score = scores[s] as number;
    if (heap.length === k) {
      const worst = heap[0] as [number, number];
      if (score < worst[1] || (score === worst[1] && s > worst[0])) continue;
    }
    const entry: [number, number] = [s, score];
    if (heap.length < k) {
      heap.push(entry);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i] as [number, number], heap[parent] as [number, number])) break;
        [heap[i], heap[parent]] = [heap[parent] as [number, number], heap[i] as [number, number]];
        i = parent;
      }
    } else {
      heap[0] = entry;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && worse(heap[l] as [number, number], heap[m] as [number, number])) m = l;
        if (r < heap.length && worse(heap[r] as [number, number], heap[m] as [number, number])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as [number, number], heap[i] as [number, number]];
        i = m;
      }
    }
  }
  return heap.sort(better);
}
