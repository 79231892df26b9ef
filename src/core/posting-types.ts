/**
 * The data shapes shared by the lexical index's postings, its on-disk codec and its scorer: a
 * batch of tokenized passages, the compact postings form, the BM25F parameters and the per-query
 * score accumulator.
 */

/** Term frequencies are capped to these (a passage repeating a word 65k times gains nothing more). */
export const MAX_BODY_TF = 0xffff;
export const MAX_TITLE_TF = 0xff;

/** One batch of new passages, already turned into term ids: per passage its distinct terms with counts. */
export interface PostingBatch {
  /** Number of passages in the batch. */
  count: number;
  /** `starts[i]..starts[i+1]` indexes the distinct terms of passage i in `termIds` / `tfs`. */
  starts: Int32Array;
  termIds: Int32Array;
  /** Packed counts: body count in the low 16 bits, title count in the next 8. */
  tfs: Int32Array;
  /** Token counts (after stop words) of each passage's body and title. */
  bodyLengths: Int32Array;
  titleLengths: Int32Array;
  /** Every passage's body terms in order (stop words left out), passage after passage. */
  sequence: Int32Array;
}

/** The compact, fully merged form written to disk and read back. */
export interface PostingsData {
  terms: string[];
  offsets: Int32Array;
  slots: Int32Array;
  bodyTfs: Uint16Array;
  titleTfs: Uint8Array;
  bodyLengths: Int32Array;
  titleLengths: Int32Array;
  /** Body term sequences of all slots, concatenated (slot s has `bodyLengths[s]` entries). */
  sequence: Int32Array;
}

/** BM25F parameters (see {@link Postings.accumulate}). */
export interface IndexParams {
  k1: number;
  b: number;
  titleWeight: number;
}

/** Per-query scratch space, at least `slotCount` long, all zero between queries. */
export interface Accumulator {
  /** BM25F score per slot (0 = not matched). */
  scores: Float64Array;
  /** The slots with a non-zero score, in first-touched order: `touched[0..count)`. */
  touched: Int32Array;
  count: number;
  /** Per slot, the OR of the bits of the query terms it matched. */
  matched: Int32Array;
}
