/**
 * The inverted lists behind the lexical index: a vocabulary, term-major postings in typed arrays
 * (a compact "base" built in bulk plus a small "delta" for incremental additions), per-slot field
 * lengths, each passage's body as a term-id sequence (for phrase matching) and tombstones. A slot
 * is the internal number of one passage; slots only grow until {@link Postings.merge} renumbers the
 * live ones densely, keeping their order.
 */
import type { Accumulator, IndexParams, PostingBatch, PostingsData } from './posting-types.ts';
import { mergePostings } from './postings-merge.ts';

function grown<T extends Int32Array | Uint8Array | Float32Array>(array: T, need: number): T {
  if (need <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(need, array.length * 2, 16));
  next.set(array);
  return next;
}

export class Postings {
  /** Term text to id; ids index `terms` and `df`. */
  readonly vocab = new Map<string, number>();
  terms: string[] = [];
  /** Live passages containing each term (in body or title). */
  df: Int32Array = new Int32Array(0);
  /** Base postings: term t owns `baseOffsets[t]..baseOffsets[t+1]` (terms past `baseTerms` own none). */
  private baseOffsets: Int32Array = new Int32Array(1);
  private baseTerms = 0;
  private baseSlots: Int32Array = new Int32Array(0);
  private baseBodyTfs: Uint16Array = new Uint16Array(0);
  private baseTitleTfs: Uint8Array = new Uint8Array(0);
  /** Delta postings per term: `[slot, packedTf, slot, packedTf, ...]`, slots ascending. */
  private delta = new Map<number, number[]>();
  private deltaPostings = 0;
  /** Slots allocated so far (live or dead). */
  slotCount = 0;
  bodyLengths: Int32Array = new Int32Array(0);
  titleLengths: Int32Array = new Int32Array(0);
  /** Body term sequences: slot s is `sequence[sequenceStarts[s]..sequenceStarts[s+1]]` (dead slots' too). */
  sequence: Int32Array = new Int32Array(0);
  sequenceStarts: Int32Array = new Int32Array(1);
  dead: Uint8Array = new Uint8Array(0);
  deadCount = 0;
  liveCount = 0;
  private bodyTotal = 0;
  private titleTotal = 0;
  /** Per-slot length normalisers for body and title, rebuilt lazily after any change. */
  private bodyNorm = new Float32Array(0);
  private titleNorm = new Float32Array(0);
  private normsFor = -1;
  private version = 0;

  /** Term id of `term`, added to the vocabulary when `create` is set; -1 when unknown. */
  termId(term: string, create: boolean): number {
    let id = this.vocab.get(term);
    if (id === undefined) {
      if (!create) return -1;
      id = this.terms.length;
      this.terms.push(term);
      this.vocab.set(term, id);
      this.df = grown(this.df, id + 1);
    }
    return id;
  }

  /** Postings held outside the compact base (a hint for when to merge). */
  get deltaSize(): number {
    return this.deltaPostings;
  }

  /** Postings in the compact base. */
  get baseSize(): number {
    return this.baseSlots.length;
  }

  /** Appends a batch as new slots (`slotCount`…) into the delta; returns the first new slot. */
  append(batch: PostingBatch): number {
    const first = this.allocate(batch);
    for (let i = 0; i < batch.count; i++) {
      const slot = first + i;
      for (let j = batch.starts[i] as number; j < (batch.starts[i + 1] as number); j++) {
        const t = batch.termIds[j] as number;
        let list = this.delta.get(t);
        if (list === undefined) {
          list = [];
          this.delta.set(t, list);
        }
        list.push(slot, batch.tfs[j] as number);
        this.deltaPostings++;
      }
    }
    return first;
  }

  private allocate(batch: PostingBatch): number {
    const first = this.slotCount;
    const need = first + batch.count;
    this.bodyLengths = grown(this.bodyLengths, need);
    this.titleLengths = grown(this.titleLengths, need);
    this.dead = grown(this.dead, need);
    this.sequenceStarts = grown(this.sequenceStarts, need + 1);
    const at = this.sequenceStarts[first] as number;
    this.sequence = grown(this.sequence, at + batch.sequence.length);
    this.sequence.set(batch.sequence, at);
    for (let i = 0; i < batch.count; i++) {
      const slot = first + i;
      this.bodyLengths[slot] = batch.bodyLengths[i] as number;
      this.titleLengths[slot] = batch.titleLengths[i] as number;
      this.dead[slot] = 0;
      this.bodyTotal += batch.bodyLengths[i] as number;
      this.titleTotal += batch.titleLengths[i] as number;
      this.sequenceStarts[slot + 1] = (this.sequenceStarts[slot] as number) + (batch.bodyLengths[i] as number);
      for (let j = batch.starts[i] as number; j < (batch.starts[i + 1] as number); j++) {
        const t = batch.termIds[j] as number;
        this.df[t] = (this.df[t] as number) + 1;
      }
    }
    this.slotCount = need;
    this.liveCount += batch.count;
    this.version++;
    return first;
  }

  /** Marks a slot dead; `termIds` are its distinct terms (to keep document frequencies live). */
  kill(slot: number, termIds: Iterable<number>): void {
    if (this.dead[slot] === 1) return;
    this.dead[slot] = 1;
    this.deadCount++;
    this.liveCount--;
    this.bodyTotal -= this.bodyLengths[slot] as number;
    this.titleTotal -= this.titleLengths[slot] as number;
    for (const t of termIds) this.df[t] = Math.max(0, (this.df[t] as number) - 1);
    this.version++;
  }

  /**
   * Rebuilds the compact base from every live posting plus `batch` (appended after the live slots),
   * dropping dead slots and unused terms. Returns the old-slot → new-slot map (-1 for dead slots)
   * and whether term ids changed (callers holding term ids must then forget them).
   */
  merge(batch?: PostingBatch): { remap: Int32Array; termsChanged: boolean } {
    const { data, remap, termsChanged } = mergePostings(
      {
        terms: this.terms,
        baseOffsets: this.baseOffsets,
        baseTerms: this.baseTerms,
        baseSlots: this.baseSlots,
        baseBodyTfs: this.baseBodyTfs,
        baseTitleTfs: this.baseTitleTfs,
        delta: this.delta,
        slotCount: this.slotCount,
        dead: this.dead,
        bodyLengths: this.bodyLengths,
        titleLengths: this.titleLengths,
        sequence: this.sequence,
        sequenceStarts: this.sequenceStarts,
      },
      batch,
    );
    this.load(data, !termsChanged);
    return { remap, termsChanged };
  }

  /** Replaces everything with `data` (every slot live). `keepVocab` skips rebuilding the term map. */
  load(data: PostingsData, keepVocab = false): void {
    const termCount = data.terms.length;
    if (!keepVocab) {
      this.vocab.clear();
      for (let t = 0; t < termCount; t++) this.vocab.set(data.terms[t] as string, t);
    }
    this.terms = data.terms;
    this.baseOffsets = data.offsets;
    this.baseTerms = termCount;
    this.baseSlots = data.slots;
    this.baseBodyTfs = data.bodyTfs;
    this.baseTitleTfs = data.titleTfs;
    this.df = new Int32Array(Math.max(termCount, 16));
    for (let t = 0; t < termCount; t++) this.df[t] = (data.offsets[t + 1] as number) - (data.offsets[t] as number);
    this.delta = new Map();
    this.deltaPostings = 0;
    this.slotCount = data.bodyLengths.length;
    this.bodyLengths = data.bodyLengths;
    this.titleLengths = data.titleLengths;
    this.dead = new Uint8Array(this.slotCount);
    this.deadCount = 0;
    this.liveCount = this.slotCount;
    this.bodyTotal = 0;
    this.titleTotal = 0;
    this.sequence = data.sequence;
    this.sequenceStarts = new Int32Array(this.slotCount + 1);
    for (let s = 0; s < this.slotCount; s++) {
      this.bodyTotal += data.bodyLengths[s] as number;
      this.titleTotal += data.titleLengths[s] as number;
      this.sequenceStarts[s + 1] = (this.sequenceStarts[s] as number) + (data.bodyLengths[s] as number);
    }
    this.version++;
  }

  /** The compact form; only meaningful right after {@link merge} (no delta, no dead slots). */
  data(): PostingsData {
    return {
      terms: this.terms,
      offsets: this.baseOffsets.subarray(0, this.baseTerms + 1),
      slots: this.baseSlots,
      bodyTfs: this.baseBodyTfs,
      titleTfs: this.baseTitleTfs,
      bodyLengths: this.bodyLengths.subarray(0, this.slotCount),
      titleLengths: this.titleLengths.subarray(0, this.slotCount),
      sequence: this.sequence.subarray(0, this.sequenceStarts[this.slotCount]),
    };
  }

  /** BM25 inverse document frequency of a term over the live passages (always > 0). */
  idf(termId: number): number {
    const n = this.df[termId] ?? 0;
    return Math.log(1 + (this.liveCount - n + 0.5) / (n + 0.5));
  }

  private norms(b: number): void {
    if (this.normsFor === this.version) return;
    const n = this.slotCount;
    if (this.bodyNorm.length < n) {
      this.bodyNorm = new Float32Array(Math.max(n, this.bodyNorm.length * 2, 16));
      this.titleNorm = new Float32Array(this.bodyNorm.length);
    }
    const live = Math.max(1, this.liveCount);
    const avgBody = Math.max(1, this.bodyTotal / live);
    const avgTitle = Math.max(1, this.titleTotal / live);
    for (let s = 0; s < n; s++) {
      this.bodyNorm[s] = 1 / (1 - b + (b * (this.bodyLengths[s] as number)) / avgBody);
      this.titleNorm[s] = 1 / (1 - b + (b * (this.titleLengths[s] as number)) / avgTitle);
    }
    this.normsFor = this.version;
  }

  /**
   * Adds one term's BM25F contribution to `acc.scores` for every live passage holding it:
   * `weight · x·(k1+1)/(k1+x)` with `x = tfBody·normBody + titleWeight·tfTitle·normTitle`, and ORs
   * `bit` into `acc.matched`. Slots scored for the first time are appended to `acc.touched`.
   */
  accumulate(termId: number, weight: number, bit: number, params: IndexParams, acc: Accumulator): void {
    this.norms(params.b);
    const { k1, titleWeight } = params;
    const { scores, touched, matched } = acc;
    const bodyNorm = this.bodyNorm;
    const titleNorm = this.titleNorm;
    const dead = this.dead;
    const scale = weight * (k1 + 1);
    let count = acc.count;
    if (termId < this.baseTerms) {
      const end = this.baseOffsets[termId + 1] as number;
      const slots = this.baseSlots;
      const bodyTfs = this.baseBodyTfs;
      const titleTfs = this.baseTitleTfs;
      for (let j = this.baseOffsets[termId] as number; j < end; j++) {
        const s = slots[j] as number;
        if (dead[s] === 1) continue;
        const x = (bodyTfs[j] as number) * (bodyNorm[s] as number) + titleWeight * (titleTfs[j] as number) * (titleNorm[s] as number);
        const before = scores[s] as number;
        if (before === 0) touched[count++] = s;
        scores[s] = before + (scale * x) / (k1 + x);
        matched[s] = (matched[s] as number) | bit;
      }
    }
    const list = this.delta.get(termId);
    if (list !== undefined) {
      for (let j = 0; j < list.length; j += 2) {
        const s = list[j] as number;
        if (dead[s] === 1) continue;
        const packed = list[j + 1] as number;
        const x = (packed & 0xffff) * (bodyNorm[s] as number) + titleWeight * ((packed >>> 16) & 0xff) * (titleNorm[s] as number);
        const before = scores[s] as number;
        if (before === 0) touched[count++] = s;
        scores[s] = before + (scale * x) / (k1 + x);
        matched[s] = (matched[s] as number) | bit;
      }
    }
    acc.count = count;
  }
}
