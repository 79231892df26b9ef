/**
 * The inverted lists behind the lexical index: a vocabulary, term-major postings in typed arrays
 * (a compact "base" built in bulk plus a small "delta" for incremental additions), per-slot field
 * lengths, each passage's body as a term-id sequence (for phrase matching) and tombstones. A slot
 * is the internal number of one passage; slots only grow until {@link Postings.merge} renumbers the
 * live ones densely, keeping their order.
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
    const oldSlots = this.slotCount;
    const remap = new Int32Array(oldSlots);
    let next = 0;
    for (let s = 0; s < oldSlots; s++) remap[s] = this.dead[s] === 1 ? -1 : next++;
    const batchFirst = next;
    const termCount = this.terms.length;
    // Count live postings per term.
    const counts = new Int32Array(termCount + 1);
    for (let t = 0; t < this.baseTerms; t++) {
      for (let j = this.baseOffsets[t] as number; j < (this.baseOffsets[t + 1] as number); j++) {
        if (this.dead[this.baseSlots[j] as number] !== 1) counts[t] = (counts[t] as number) + 1;
      }
    }
    for (const [t, list] of this.delta) {
      for (let j = 0; j < list.length; j += 2) if (this.dead[list[j] as number] !== 1) counts[t] = (counts[t] as number) + 1;
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
        terms.push(this.terms[t] as string);
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
    for (let t = 0; t < this.baseTerms; t++) {
      for (let j = this.baseOffsets[t] as number; j < (this.baseOffsets[t + 1] as number); j++) {
        const s = remap[this.baseSlots[j] as number] as number;
        if (s >= 0) put(t, s, (this.baseBodyTfs[j] as number) | ((this.baseTitleTfs[j] as number) << 16));
      }
    }
    for (const [t, list] of this.delta) {
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
      bodyLengths[n] = this.bodyLengths[s] as number;
      titleLengths[n] = this.titleLengths[s] as number;
      sequenceLength += this.bodyLengths[s] as number;
    }
    const sequence = new Int32Array(sequenceLength);
    let seqAt = 0;
    const copySequence = (from: Int32Array, start: number, end: number) => {
      for (let j = start; j < end; j++) sequence[seqAt++] = termRemap[from[j] as number] as number;
    };
    for (let s = 0; s < oldSlots; s++) {
      if ((remap[s] as number) >= 0) copySequence(this.sequence, this.sequenceStarts[s] as number, this.sequenceStarts[s + 1] as number);
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
    this.load({ terms, offsets, slots, bodyTfs, titleTfs, bodyLengths, titleLengths, sequence }, !termsChanged);
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
