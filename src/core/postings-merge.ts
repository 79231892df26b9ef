/**
 * Merging the lexical index's postings: folds the compact base, the delta and an optional new batch
 * into one new compact base, dropping dead slots and terms no live passage uses. Live slots are
 * renumbered densely in their old order, the batch's after them; surviving terms keep their order.
 */
import type { PostingBatch, PostingsData } from './posting-types.ts';

/** The postings state a merge reads (the fields of {@link Postings} it folds together). */
export interface MergeSource {
  terms: string[];
  /** Base postings: term t owns `baseOffsets[t]..baseOffsets[t+1]` (terms past `baseTerms` own none). */
  baseOffsets: Int32Array;
  baseTerms: number;
  baseSlots: Int32Array;
  baseBodyTfs: Uint16Array;
  baseTitleTfs: Uint8Array;
  /** Delta postings per term: `[slot, packedTf, slot, packedTf, ...]`, slots ascending. */
  delta: Map<number, number[]>;
  slotCount: number;
  dead: Uint8Array;
  bodyLengths: Int32Array;
  titleLengths: Int32Array;
  sequence: Int32Array;
  sequenceStarts: Int32Array;
}

/** What a merge produces: the new compact data, the old-slot → new-slot map (-1: dead) and whether term ids changed. */
export interface MergeResult {
  data: PostingsData;
  remap: Int32Array;
  termsChanged: boolean;
}

/** Builds the compact postings of every live posting of `source` plus `batch` (appended after the live slots). */
export function mergePostings(source: MergeSource, batch?: PostingBatch): MergeResult {
  const oldSlots = source.slotCount;
  const remap = new Int32Array(oldSlots);
  let next = 0;
  for (let s = 0; s < oldSlots; s++) remap[s] = source.dead[s] === 1 ? -1 : next++;
  const batchFirst = next;
  const termCount = source.terms.length;
  // Count live postings per term.
  const counts = new Int32Array(termCount + 1);
  for (let t = 0; t < source.baseTerms; t++) {
    for (let j = source.baseOffsets[t] as number; j < (source.baseOffsets[t + 1] as number); j++) {
      if (source.dead[source.baseSlots[j] as number] !== 1) counts[t] = (counts[t] as number) + 1;
    }
  }
  for (const [t, list] of source.delta) {
    for (let j = 0; j < list.length; j += 2) if (source.dead[list[j] as number] !== 1) counts[t] = (counts[t] as number) + 1;
  }
  if (batch) {
    for (let j = 0; j < (batch.starts[batch.count] as number); j++) {
      const t = batch.termIds[j] as number;
      counts[t] = (counts[t] as number) + 1;
    }
  }
  // New term ids: only terms still in use, in old id order.
  const termRemap = new Int32Array(termCount);
  const terms: string[] = [];
  for (let t = 0; t < termCount; t++) {
    if ((counts[t] as number) > 0) {
      termRemap[t] = terms.length;
      terms.push(source.terms[t] as string);
    } else termRemap[t] = -1;
  }
  const offsets = new Int32Array(terms.length + 1);
  for (let t = 0; t < termCount; t++) {
    const n = termRemap[t] as number;
    if (n >= 0) offsets[n + 1] = counts[t] as number;
  }
  for (let t = 0; t < terms.length; t++) offsets[t + 1] = (offsets[t + 1] as number) + (offsets[t] as number);
  const total = offsets[terms.length] as number;
  const slots = new Int32Array(total);
  const bodyTfs = new Uint16Array(total);
  const titleTfs = new Uint8Array(total);
  const cursor = offsets.slice(0, terms.length);
  const put = (t: number, slot: number, packed: number) => {
    const n = termRemap[t] as number;
    const at = cursor[n] as number;
    slots[at] = slot;
    bodyTfs[at] = packed & 0xffff;
    titleTfs[at] = (packed >>> 16) & 0xff;
    cursor[n] = at + 1;
  };
  for (let t = 0; t < source.baseTerms; t++) {
    for (let j = source.baseOffsets[t] as number; j < (source.baseOffsets[t + 1] as number); j++) {
      const s = remap[source.baseSlots[j] as number] as number;
      if (s >= 0) put(t, s, (source.baseBodyTfs[j] as number) | ((source.baseTitleTfs[j] as number) << 16));
    }
  }
  for (const [t, list] of source.delta) {
    for (let j = 0; j < list.length; j += 2) {
      const s = remap[list[j] as number] as number;
      if (s >= 0) put(t, s, list[j + 1] as number);
    }
  }
  const bodyLengths = new Int32Array(batchFirst + (batch?.count ?? 0));
  const titleLengths = new Int32Array(bodyLengths.length);
  let sequenceLength = batch?.sequence.length ?? 0;
  for (let s = 0; s < oldSlots; s++) {
    const n = remap[s] as number;
    if (n < 0) continue;
    bodyLengths[n] = source.bodyLengths[s] as number;
    titleLengths[n] = source.titleLengths[s] as number;
    sequenceLength += source.bodyLengths[s] as number;
  }
  const sequence = new Int32Array(sequenceLength);
  let seqAt = 0;
  const copySequence = (from: Int32Array, start: number, end: number) => {
    for (let j = start; j < end; j++) sequence[seqAt++] = termRemap[from[j] as number] as number;
  };
  for (let s = 0; s < oldSlots; s++) {
    if ((remap[s] as number) >= 0) copySequence(source.sequence, source.sequenceStarts[s] as number, source.sequenceStarts[s + 1] as number);
  }
  if (batch) copySequence(batch.sequence, 0, batch.sequence.length);
  if (batch) {
    for (let i = 0; i < batch.count; i++) {
      for (let j = batch.starts[i] as number; j < (batch.starts[i + 1] as number); j++) {
        put(batch.termIds[j] as number, batchFirst + i, batch.tfs[j] as number);
      }
      bodyLengths[batchFirst + i] = batch.bodyLengths[i] as number;
      titleLengths[batchFirst + i] = batch.titleLengths[i] as number;
    }
  }
  const termsChanged = terms.length !== termCount;
  return { data: { terms, offsets, slots, bodyTfs, titleTfs, bodyLengths, titleLengths, sequence }, remap, termsChanged };
}
