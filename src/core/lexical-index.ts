/**
 * The embedded lexical retriever: BM25F over passage body and title (English stop words, accent
 * folding, Porter stemming) plus a phrase bonus for each pair of adjacent query terms that also
 * appears adjacently, in order, in a passage (stop words skipped on both sides). The bonus is exact
 * over all passages: a bound on it limits the phrase check to passages that could still rank.
 * Postings and each passage's term sequence live in typed arrays ({@link Postings}); the index is
 * saved as one binary file ({@link writeIndexFile}) and reloaded without re-tokenizing anything.
 *
 * Incremental updates (one changed file) go to a small delta and leave tombstones; a merge folds
 * them into the compact base when they grow past a quarter of it, and always before saving.
 * Ranking: best score first, ties by passage order (the order passages were added).
 */
import { readIndexFile } from './index-file-reader.ts';
import { writeIndexFile } from './index-file-writer.ts';
import { type Accumulator, type IndexParams, MAX_BODY_TF, MAX_TITLE_TF, type PostingBatch } from './posting-types.ts';
import { Postings } from './postings.ts';
import type { Retriever, SearchOptions } from './retriever.ts';
import { normalizeTerm, WordTable } from './tokenizer.ts';
import type { Passage, ScoredPassage } from './types.ts';

/** A retriever you can update one document at a time and persist. */
export interface LexicalIndex extends Retriever {
  /** Synchronous search; same results as search(). Best first, ties by passage order. */
  searchSync(query: string, options?: SearchOptions): ScoredPassage[];
  /** Adds or replaces all passages of one document (incremental re-index of one changed file). */
  setDocument(documentId: string, passages: Passage[]): void;
  /** Removes a document's passages; no-op when absent. */
  removeDocument(documentId: string): void;
  /** Bulk build (fast path used for a full index), equivalent to setDocument per document. */
  addAll(passages: Passage[]): void;
  readonly passageCount: number;
  getPassage(passageId: string): Passage | undefined;
  /** Passages of one document in ordinal order. */
  passagesOf(documentId: string): Passage[];
  documentIds(): string[];
  /** Persists atomically under dir (write temp files then rename). `meta` is any JSON stored alongside. */
  save(dir: string, meta?: unknown): Promise<void>;
}

/** Options of {@link createLexicalIndex}. Defaults were chosen on SQuAD dev (see bench/squad-quality.ts). */
export interface LexicalIndexOptions {
  /** BM25 term-frequency saturation; default 0.9. */
  k1?: number;
  /** BM25 length normalisation (body and title); default 0.6. */
  b?: number;
  /** How much a title occurrence counts against a body occurrence; default 2. */
  titleWeight?: number;
}

/** Bonus per query bigram found in a candidate, times the smaller idf of its two terms. */
const PHRASE_WEIGHT = 0.35;
/** Batches at least this large (or any batch into an empty index) are merged straight into the base. */
const BULK_BATCH = 2048;
/** One title occurrence in a packed PostingBatch count (body count in the low 16 bits). */
const TITLE_TF = 1 << 16;
const STOP = -1;
const UNKNOWN = -2;

/** The query's term pairs, for the phrase bonus. */
interface Phrases {
  /** Second term → first term → bonus weight. */
  bySecond: Map<number, Map<number, number>>;
  /** Each pair's query-term bits (see Accumulator.matched) and weight. */
  pairs: Array<{ bits: number; weight: number }>;
  /** Sum of all pair weights. */
  maxBonus: number;
  /** Value of `phraseMark[t]` for every second term `t` of this query's pairs. */
  stamp: number;
}

/** Creates an empty index. */
export function createLexicalIndex(options: LexicalIndexOptions = {}): LexicalIndex {
  return new Index({ k1: options.k1 ?? 0.9, b: options.b ?? 0.6, titleWeight: options.titleWeight ?? 2 });
}

/**
 * Loads a saved index; undefined when missing, corrupt or from another format version (caller rebuilds).
 * Never throws for bad files. The index keeps the scoring options it was saved with; `meta` is what
 * was passed to `save` (null when nothing was). Passage texts are decoded on first use.
 */
export async function loadLexicalIndex(dir: string): Promise<{ index: LexicalIndex; meta: unknown } | undefined> {
  const file = await readIndexFile(dir);
  if (file === undefined) return undefined;
  const index = new Index(file.params);
  index.postings.load(file.postings);
  const table = file.passages;
  index.passages = new Array(table.count);
  index.lazy = table.get;
  index.lazySlot = Int32Array.from({ length: table.count }, (_, i) => i);
  index.slotIds = table.ids;
  index.slotDocs = table.documentIds;
  index.slotOrdinals = Array.from(table.ordinals);
  index.reindexSlots();
  return { index, meta: file.meta };
}

class Index implements LexicalIndex {
  readonly postings = new Postings();
  /** Per slot: the passage (undefined while not yet decoded from a loaded file), its id and document. */
  passages: Array<Passage | undefined> = [];
  slotIds: string[] = [];
  slotDocs: string[] = [];
  slotOrdinals: number[] = [];
  /** For a loaded index: decodes a passage of the file, and which file row each slot is (-1: none). */
  lazy: ((row: number) => Passage) | undefined;
  lazySlot: Int32Array = new Int32Array(0);
  private slotOfId = new Map<string, number>();
  private slotsOfDoc = new Map<string, number[]>();
  /** True when the two lookups above must be rebuilt before use. */
  private lookupsStale = false;
  /** Word (lower-cased) → term id or STOP; cleared whenever term ids change. */
  private readonly words = new WordTable((word) => this.resolveWord(word));
  /** Whether words not yet in the vocabulary are added (indexing) or reported UNKNOWN (querying). */
  private creating = false;
  private acc: Accumulator = { scores: new Float64Array(0), touched: new Int32Array(0), count: 0, matched: new Int32Array(0) };
  /** Per slot: BM25F plus phrase bonus while a query runs (0 = not computed). */
  private boosted = new Float64Array(0);
  /** Per term: stamp of the last query for which it is the second term of a pair. */
  private phraseMark: Int32Array = new Int32Array(0);
  private phraseStamp = 0;
  /** Scratch of toBatch, per term: stamp of the passage that last counted it, and where. */
  private termMark: Int32Array = new Int32Array(0);
  private termPosition: Int32Array = new Int32Array(0);
  private batchStamp = 0;

  constructor(readonly params: IndexParams) {}

  get passageCount(): number {
    return this.postings.liveCount;
  }

  async search(query: string, options?: SearchOptions): Promise<ScoredPassage[]> {
    return this.searchSync(query, options);
  }

  searchSync(query: string, options: SearchOptions = {}): ScoredPassage[] {
    const limit = Math.floor(options.limit ?? 5);
    if (!(limit > 0) || this.postings.liveCount === 0) return [];
    let allowed: Uint8Array | undefined;
    if (options.documentIds) {
      allowed = new Uint8Array(this.postings.slotCount);
      let any = false;
      for (const doc of options.documentIds) {
        for (const s of this.lookups().docs.get(doc) ?? []) {
          allowed[s] = 1;
          any = true;
        }
      }
      if (!any) return [];
    }
    const sequence = this.termIdsOf(query, false);
    const distinct = [...new Set(sequence.filter((t) => t >= 0))];
    if (distinct.length === 0) return [];
    const acc = this.scratch();
    // Bit i marks query term i (the first 30); pairs with later terms are always assumed present.
    const bits = new Map(distinct.map((t, i) => [t, i < 30 ? 1 << i : 0]));
    for (const t of distinct) this.postings.accumulate(t, this.postings.idf(t), bits.get(t) as number, this.params, acc);
    try {
      const top = this.withPhrases(this.queryPhrases(sequence, bits), acc, limit, allowed);
      return top.map(([slot, score]) => ({ passage: this.passageAt(slot), score }));
    } finally {
      for (let i = 0; i < acc.count; i++) {
        const s = acc.touched[i] as number;
        acc.scores[s] = 0;
        acc.matched[s] = 0;
      }
      acc.count = 0;
    }
  }

  /** The reusable per-query arrays, grown to the slot count. */
  private scratch(): Accumulator {
    const n = this.postings.slotCount;
    if (this.acc.scores.length < n) {
      const size = Math.max(n, this.acc.scores.length * 2);
      this.acc = { scores: new Float64Array(size), touched: new Int32Array(size), count: 0, matched: new Int32Array(size) };
      this.boosted = new Float64Array(size);
    }
    return this.acc;
  }

  /**
   * The exact top `limit` by BM25F plus the phrase bonus. Once the best BM25F candidates give a
   * `limit`-th total score θ, a passage can only make the list if its BM25F plus the bonus of the
   * pairs whose both terms it matched reaches θ; only those get their phrases checked.
   */
  private withPhrases(phrases: Phrases, acc: Accumulator, limit: number, allowed: Uint8Array | undefined): Array<[number, number]> {
    const { scores, touched, count, matched } = acc;
    if (phrases.pairs.length === 0) return topK(touched, count, scores, limit, allowed);
    const boosted = this.boosted;
    const evaluated: number[] = [];
    const evaluate = (slot: number) => {
      if (boosted[slot] !== 0) return;
      boosted[slot] = (scores[slot] as number) + this.phraseBonus(slot, phrases);
      evaluated.push(slot);
    };
    try {
      for (const [slot] of topK(touched, count, scores, limit, allowed)) evaluate(slot);
      const first = topK(evaluated, evaluated.length, boosted, limit);
      if (first.length < limit) return first;
      const theta = (first[limit - 1] as [number, number])[1];
      const floor = theta - phrases.maxBonus;
      for (let i = 0; i < count; i++) {
        const s = touched[i] as number;
        const score = scores[s] as number;
        if (score < floor || (allowed && allowed[s] !== 1)) continue;
        let bound = 0;
        const has = matched[s] as number;
        for (const pair of phrases.pairs) if ((has & pair.bits) === pair.bits) bound += pair.weight;
        if (score + bound >= theta) evaluate(s);
      }
      return topK(evaluated, evaluated.length, boosted, limit);
    } finally {
      for (const slot of evaluated) boosted[slot] = 0;
    }
  }

  /** Adjacent pairs of known query terms (stop words skipped), each worth its smaller idf. */
  private queryPhrases(sequence: number[], bits: Map<number, number>): Phrases {
    const bySecond = new Map<number, Map<number, number>>();
    const pairs: Phrases['pairs'] = [];
    const scale = PHRASE_WEIGHT * (this.params.k1 + 1);
    const stamp = ++this.phraseStamp;
    if (this.phraseMark.length < this.postings.terms.length) this.phraseMark = new Int32Array(this.postings.terms.length * 2);
    let maxBonus = 0;
    let prev = UNKNOWN;
    for (const t of sequence) {
      if (t === STOP) continue;
      if (prev >= 0 && t >= 0 && prev !== t) {
        const firsts = bySecond.get(t) ?? new Map<number, number>();
        bySecond.set(t, firsts);
        this.phraseMark[t] = stamp;
        if (!firsts.has(prev)) {
          const weight = scale * Math.min(this.postings.idf(prev), this.postings.idf(t));
          firsts.set(prev, weight);
          pairs.push({ bits: (bits.get(prev) as number) | (bits.get(t) as number), weight });
          maxBonus += weight;
        }
      }
      prev = t;
    }
    return { bySecond, pairs, maxBonus, stamp };
  }

  /** Sum of the weights of the query's term pairs that occur adjacently, in order, in the slot's body. */
  private phraseBonus(slot: number, phrases: Phrases): number {
    const { sequence, sequenceStarts } = this.postings;
    const mark = this.phraseMark;
    const end = sequenceStarts[slot + 1] as number;
    let bonus = 0;
    let found: Set<number> | undefined;
    for (let j = (sequenceStarts[slot] as number) + 1; j < end; j++) {
      const second = sequence[j] as number;
      if (mark[second] !== phrases.stamp) continue;
      const first = sequence[j - 1] as number;
      const weight = phrases.bySecond.get(second)?.get(first);
      if (weight === undefined) continue;
      const key = first * 0x4000000 + second;
      found ??= new Set();
      if (found.has(key)) continue;
      found.add(key);
      bonus += weight;
    }
    return bonus;
  }

  setDocument(documentId: string, passages: Passage[]): void {
    for (const p of passages) {
      if (p.documentId !== documentId) {
        throw new TypeError(`passage ${p.id} belongs to ${p.documentId}, not ${documentId}`);
      }
    }
    if (passages.length === 0) this.removeDocument(documentId);
    else this.addAll(passages);
  }

  removeDocument(documentId: string): void {
    const slots = this.lookups().docs.get(documentId);
    if (!slots) return;
    for (const s of [...slots]) this.killSlot(s);
    this.maybeMerge();
  }

  addAll(passages: Passage[]): void {
    // Last occurrence of a passage id wins; every document present is replaced as a whole.
    const lastOf = new Map<string, number>();
    for (const [i, p] of passages.entries()) lastOf.set(p.id, i);
    const batch = lastOf.size === passages.length ? passages : passages.filter((p, i) => lastOf.get(p.id) === i);
    if (this.postings.liveCount > 0) {
      for (const doc of new Set(batch.map((p) => p.documentId))) {
        for (const s of [...(this.lookups().docs.get(doc) ?? [])]) this.killSlot(s);
      }
      for (const p of batch) {
        const s = this.lookups().ids.get(p.id);
        if (s !== undefined) this.killSlot(s);
      }
    }
    if (batch.length === 0) return;
    const postingBatch = this.toBatch(batch);
    const first = this.postings.slotCount;
    const bulk = batch.length >= BULK_BATCH || this.postings.baseSize === 0;
    if (bulk) {
      const { remap, termsChanged } = this.postings.merge(postingBatch);
      this.applyRemap(remap, termsChanged);
    } else this.postings.append(postingBatch);
    const start = bulk ? this.postings.slotCount - batch.length : first;
    for (let i = 0; i < batch.length; i++) this.register(start + i, batch[i] as Passage, -1);
    if (!bulk) this.maybeMerge();
  }

  getPassage(passageId: string): Passage | undefined {
    const s = this.lookups().ids.get(passageId);
    return s === undefined ? undefined : this.passageAt(s);
  }

  passagesOf(documentId: string): Passage[] {
    return (this.lookups().docs.get(documentId) ?? []).map((s) => this.passageAt(s));
  }

  documentIds(): string[] {
    return [...this.lookups().docs.keys()];
  }

  async save(dir: string, meta?: unknown): Promise<void> {
    if (this.postings.deadCount > 0 || this.postings.deltaSize > 0) this.merge();
    await writeIndexFile(dir, this.params, this.postings.data(), (s) => this.passageAt(s), meta);
  }

  /** Term ids of `text` in order: STOP for stop words, UNKNOWN for terms not in the vocabulary (unless `create`). */
  private termIdsOf(text: string, create: boolean): number[] {
    const out: number[] = [];
    this.creating = create;
    this.words.forEach(text.toLowerCase(), (t) => out.push(t));
    this.creating = false;
    return out;
  }

  private resolveWord(word: string): number {
    const term = normalizeTerm(word);
    if (term === '') return STOP;
    const id = this.postings.termId(term, this.creating);
    return id < 0 ? UNKNOWN : id;
  }

  /** Tokenizes passages into distinct term ids with body/title counts, reusing per-term scratch arrays. */
  private toBatch(passages: Passage[]): PostingBatch {
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
    this.creating = true;
    try {
      for (let i = 0; i < count; i++) {
        const p = passages[i] as Passage;
        const from = length;
        this.words.forEach(p.text.toLowerCase(), onTerm);
        let title = titleTerms.get(p.title);
        if (title === undefined) {
          title = [];
          this.words.forEach(p.title.toLowerCase(), (t) => t >= 0 && title?.push(t));
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
    } finally {
      this.creating = false;
    }
    return { count, starts, termIds, tfs, bodyLengths, titleLengths, sequence: sequence.subarray(0, length) };
  }

  private killSlot(slot: number): void {
    if (this.postings.dead[slot] === 1) return;
    const p = this.passageAt(slot);
    const ids = new Set([...this.termIdsOf(p.text, false), ...this.termIdsOf(p.title, false)].filter((t) => t >= 0));
    this.postings.kill(slot, ids);
    const list = this.lookupsStale ? undefined : this.slotsOfDoc.get(p.documentId);
    this.slotOfId.delete(p.id);
    if (list) {
      const rest = list.filter((s) => s !== slot);
      if (rest.length === 0) this.slotsOfDoc.delete(p.documentId);
      else this.slotsOfDoc.set(p.documentId, rest);
    }
    this.passages[slot] = undefined;
    if (slot < this.lazySlot.length) this.lazySlot[slot] = -1;
  }

  private maybeMerge(): void {
    const p = this.postings;
    if (p.deadCount > Math.max(256, p.slotCount / 4) || p.deltaSize > Math.max(65536, p.baseSize / 4)) this.merge();
  }

  private merge(): void {
    const { remap, termsChanged } = this.postings.merge();
    this.applyRemap(remap, termsChanged);
  }

  /** Moves per-slot data to the slots a merge assigned (order kept) and rebuilds the lookups. */
  private applyRemap(remap: Int32Array, termsChanged: boolean): void {
    if (termsChanged) this.words.clear();
    const live = this.postings.slotCount;
    const passages: Array<Passage | undefined> = new Array(live);
    const ids: string[] = new Array(live);
    const docs: string[] = new Array(live);
    const ordinals: number[] = new Array(live);
    const lazySlot = new Int32Array(live).fill(-1);
    for (let s = 0; s < remap.length; s++) {
      const n = remap[s] as number;
      if (n < 0) continue;
      passages[n] = this.passages[s];
      ids[n] = this.slotIds[s] as string;
      docs[n] = this.slotDocs[s] as string;
      ordinals[n] = this.slotOrdinals[s] as number;
      if (s < this.lazySlot.length) lazySlot[n] = this.lazySlot[s] as number;
    }
    this.passages = passages;
    this.slotIds = ids;
    this.slotDocs = docs;
    this.slotOrdinals = ordinals;
    this.lazySlot = lazySlot;
    this.reindexSlots();
  }

  /** Marks the id → slot and document → slots lookups for a rebuild on their next use. */
  reindexSlots(): void {
    this.lookupsStale = true;
  }

  /** The lookups, rebuilt from the per-slot arrays when stale (after a load or a merge). */
  private lookups(): { ids: Map<string, number>; docs: Map<string, number[]> } {
    if (this.lookupsStale) {
      this.lookupsStale = false;
      this.slotOfId.clear();
      this.slotsOfDoc.clear();
      const n = Math.min(this.slotIds.length, this.postings.slotCount);
      for (let s = 0; s < n; s++) {
        if (this.slotIds[s] !== undefined && this.postings.dead[s] !== 1) this.index(s);
      }
    }
    return { ids: this.slotOfId, docs: this.slotsOfDoc };
  }

  private register(slot: number, p: Passage, lazyRow: number): void {
    this.passages[slot] = p;
    this.slotIds[slot] = p.id;
    this.slotDocs[slot] = p.documentId;
    this.slotOrdinals[slot] = p.ordinal;
    if (slot < this.lazySlot.length) this.lazySlot[slot] = lazyRow;
    this.index(slot);
  }

  private index(slot: number): void {
    if (this.lookupsStale) return;
    this.slotOfId.set(this.slotIds[slot] as string, slot);
    const doc = this.slotDocs[slot] as string;
    const list = this.slotsOfDoc.get(doc);
    if (list === undefined) this.slotsOfDoc.set(doc, [slot]);
    else {
      list.push(slot);
      // Keep ordinal order (passages normally arrive in order, so this rarely moves anything).
      for (let i = list.length - 1; i > 0 && this.ordinalAt(list[i - 1] as number) > this.ordinalAt(list[i] as number); i--) {
        [list[i - 1], list[i]] = [list[i] as number, list[i - 1] as number];
      }
    }
  }

  private ordinalAt(slot: number): number {
    return this.slotOrdinals[slot] as number;
  }

  private passageAt(slot: number): Passage {
    let p = this.passages[slot];
    if (p === undefined) {
      const row = this.lazySlot[slot] ?? -1;
      if (row < 0 || !this.lazy) throw new Error(`lexical index: slot ${slot} has no passage`);
      p = this.lazy(row);
      this.passages[slot] = p;
    }
    return p;
  }
}

function resized(array: Int32Array, size: number): Int32Array {
  const next = new Int32Array(size);
  next.set(array.subarray(0, Math.min(array.length, size)));
  return next;
}

/** Best first; ties by slot (passage order). */
function better(a: [number, number], b: [number, number]): number {
  return b[1] - a[1] || a[0] - b[0];
}

/** The `k` best of `slots[0..count)` by score as `[slot, score]`, best first (ties by slot), via a bounded min-heap. */
function topK(
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
