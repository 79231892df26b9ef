/**
 * Tokenizes passages into a {@link PostingBatch} for the lexical index: per passage its distinct
 * term ids with packed body/title counts (capped at MAX_BODY_TF / MAX_TITLE_TF), its field lengths
 * and its body's term sequence. New terms are added to the vocabulary.
 */
import { MAX_BODY_TF, MAX_TITLE_TF, type PostingBatch } from './posting-types.ts';
import type { Postings } from './postings.ts';
import type { TermIds } from './term-ids.ts';
import type { Passage } from './types.ts';

/** One title occurrence in a packed PostingBatch count (body count in the low 16 bits). */
const TITLE_TF = 1 << 16;

/** Builds posting batches, reusing per-term scratch arrays across batches. */
export class PostingBatchBuilder {
  /** Scratch of build, per term: stamp of the passage that last counted it, and where. */
  private termMark: Int32Array = new Int32Array(0);
  private termPosition: Int32Array = new Int32Array(0);
  private batchStamp = 0;

  constructor(
    private readonly postings: Postings,
    private readonly terms: TermIds,
  ) {}

  /** Tokenizes passages into distinct term ids with body/title counts, in passage order. */
  build(passages: Passage[]): PostingBatch {
    const count = passages.length;
    const starts = new Int32Array(count + 1);
    const bodyLengths = new Int32Array(count);
    const titleLengths = new Int32Array(count);
    let termIds: Int32Array = new Int32Array(Math.max(1024, count * 64));
    let tfs: Int32Array = new Int32Array(termIds.length);
    let sequence: Int32Array = new Int32Array(Math.max(1024, count * 128));
    let length = 0;
    const onTerm = (t: number) => {
      if (t < 0) return;
      if (length === sequence.length) sequence = resized(sequence, length * 2);
      sequence[length++] = t;
    };
    // Per term: the stamp of the passage that last saw it and where its count sits in `tfs`.
    // Kept across batches, so adding one small document does not allocate vocabulary-sized arrays.
    if (this.batchStamp > 0x7fffffff - count) {
      this.termMark.fill(0);
      this.batchStamp = 0;
    }
    const titleTerms = new Map<string, number[]>();
    let at = 0;
    for (let i = 0; i < count; i++) {
      const p = passages[i] as Passage;
      const from = length;
      this.terms.forEach(p.text.toLowerCase(), true, onTerm);
      let title = titleTerms.get(p.title);
      if (title === undefined) {
        title = [];
        this.terms.forEach(p.title.toLowerCase(), true, (t) => t >= 0 && title?.push(t));
        titleTerms.set(p.title, title);
      }
      bodyLengths[i] = length - from;
      titleLengths[i] = title.length;
      if (this.termMark.length < this.postings.terms.length) {
        this.termMark = resized(this.termMark, this.postings.terms.length * 2);
        this.termPosition = resized(this.termPosition, this.termMark.length);
      }
      const mark = this.termMark;
      const position = this.termPosition;
      const most = at + (length - from) + title.length;
      if (most > termIds.length) {
        termIds = resized(termIds, Math.max(most, termIds.length * 2));
        tfs = resized(tfs, termIds.length);
      }
      const stamp = ++this.batchStamp;
      for (let j = from; j < length; j++) {
        const t = sequence[j] as number;
        if (mark[t] !== stamp) {
          mark[t] = stamp;
          position[t] = at;
          termIds[at] = t;
          tfs[at++] = 1;
        } else {
          const k = position[t] as number;
          if (((tfs[k] as number) & 0xffff) < MAX_BODY_TF) tfs[k] = (tfs[k] as number) + 1;
        }
      }
      for (const t of title) {
        if (mark[t] !== stamp) {
          mark[t] = stamp;
          position[t] = at;
          termIds[at] = t;
          tfs[at++] = TITLE_TF;
        } else {
          const k = position[t] as number;
          if ((tfs[k] as number) >>> 16 < MAX_TITLE_TF) tfs[k] = (tfs[k] as number) + TITLE_TF;
        }
      }
      starts[i + 1] = at;
    }
    return { count, starts, termIds, tfs, bodyLengths, titleLengths, sequence: sequence.subarray(0, length) };
  }
}

function resized(array: Int32Array, size: number): Int32Array {
  const next = new Int32Array(size);
  next.set(array.subarray(0, Math.min(array.length, size)));
  return next;
}
