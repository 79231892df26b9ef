/**
 * The embedded lexical retriever: BM25F over passage body and title (English stop words, accent
 * folding, Porter stemming) plus a phrase bonus for each pair of adjacent query terms that also
 * appears adjacently, in order, in a passage (stop words skipped on both sides). The bonus is exact
 * over all passages: a bound on it limits the phrase check to passages that could still rank.
 * Postings and each passage's term sequence live in typed arrays ({@link Postings}); the index is
 * saved as one binary file ({@link writeIndexFile}) and reloaded without re-tokenizing anything.
 *
 * This file holds the index's lifecycle (add, replace, remove, merge, save, load) and query flow;
 * the parts live beside it: postings.ts (BM25F lists), postings-merge.ts, term-ids.ts,
 * posting-batch-builder.ts, phrase-scorer.ts, top-k.ts, slot-table.ts and the file format in
 * index-format.ts, index-file-writer.ts and index-file-reader.ts.
 *
 * Incremental updates (one changed file) go to a small delta and leave tombstones; a merge folds
 * them into the compact base when they grow past a quarter of it, and always before saving.
 * Ranking: best score first, ties by passage order (the order passages were added).
 */
import { readIndexFile } from './index-file-reader.ts';
import { writeIndexFile } from './index-file-writer.ts';
import { PhraseScorer } from './phrase-scorer.ts';
import { PostingBatchBuilder } from './posting-batch-builder.ts';
import type { Accumulator, IndexParams } from './posting-types.ts';
import { Postings } from './postings.ts';
import type { Retriever, SearchOptions } from './retriever.ts';
import { SlotTable } from './slot-table.ts';
import { TermIds } from './term-ids.ts';
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
  /**
   * BM25 inverse document frequency of a term as `tokenize` returns it, over the live passages (body or
   * title). Rare terms weigh more; a term no passage holds gets the highest weight. Used to weigh
   * question words when picking answer sentences, from the same statistics ranking uses.
   */
  termWeight(term: string): number;
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

/** Batches at least this large (or any batch into an empty index) are merged straight into the base. */
const BULK_BATCH = 2048;

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
  index.slots.loadFrom(file.passages);
  return { index, meta: file.meta };
}

class Index implements LexicalIndex {
  readonly postings = new Postings();
  /** Per slot: the passage, its id, document and ordinal, and the lookups by id and document. */
  readonly slots = new SlotTable(this.postings);
  private readonly terms = new TermIds(this.postings);
  private readonly batches = new PostingBatchBuilder(this.postings, this.terms);
  private readonly phrases: PhraseScorer;
  private acc: Accumulator = { scores: new Float64Array(0), touched: new Int32Array(0), count: 0, matched: new Int32Array(0) };

  constructor(readonly params: IndexParams) {
    this.phrases = new PhraseScorer(this.postings, params.k1);
  }

  get passageCount(): number {
    return this.postings.liveCount;
  }

  termWeight(term: string): number {
    const id = this.postings.vocab.get(term);
    if (id !== undefined) return this.postings.idf(id);
    return Math.log(1 + (this.postings.liveCount + 0.5) / 0.5);
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
        for (const s of this.slots.lookups().docs.get(doc) ?? []) {
          allowed[s] = 1;
          any = true;
        }
      }
      if (!any) return [];
    }
    const sequence = this.terms.of(query, false);
    const distinct = [...new Set(sequence.filter((t) => t >= 0))];
    if (distinct.length === 0) return [];
    const acc = this.scratch();
    // Bit i marks query term i (the first 30); pairs with later terms are always assumed present.
    const bits = new Map(distinct.map((t, i) => [t, i < 30 ? 1 << i : 0]));
    for (const t of distinct) this.postings.accumulate(t, this.postings.idf(t), bits.get(t) as number, this.params, acc);
    try {
      const top = this.phrases.rank(this.phrases.queryPhrases(sequence, bits), acc, limit, allowed);
      return top.map(([slot, score]) => ({ passage: this.slots.passageAt(slot), score }));
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
      this.phrases.resize(size);
    }
    return this.acc;
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
    const slots = this.slots.lookups().docs.get(documentId);
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
        for (const s of [...(this.slots.lookups().docs.get(doc) ?? [])]) this.killSlot(s);
      }
      for (const p of batch) {
        const s = this.slots.lookups().ids.get(p.id);
        if (s !== undefined) this.killSlot(s);
      }
    }
    if (batch.length === 0) return;
    const postingBatch = this.batches.build(batch);
    const first = this.postings.slotCount;
    const bulk = batch.length >= BULK_BATCH || this.postings.baseSize === 0;
    if (bulk) {
      const { remap, termsChanged } = this.postings.merge(postingBatch);
      this.applyRemap(remap, termsChanged);
    } else this.postings.append(postingBatch);
    const start = bulk ? this.postings.slotCount - batch.length : first;
    for (let i = 0; i < batch.length; i++) this.slots.register(start + i, batch[i] as Passage, -1);
    if (!bulk) this.maybeMerge();
  }

  getPassage(passageId: string): Passage | undefined {
    const s = this.slots.lookups().ids.get(passageId);
    return s === undefined ? undefined : this.slots.passageAt(s);
  }

  passagesOf(documentId: string): Passage[] {
    return (this.slots.lookups().docs.get(documentId) ?? []).map((s) => this.slots.passageAt(s));
  }

  documentIds(): string[] {
    return [...this.slots.lookups().docs.keys()];
  }

  async save(dir: string, meta?: unknown): Promise<void> {
    if (this.postings.deadCount > 0 || this.postings.deltaSize > 0) this.merge();
    await writeIndexFile(dir, this.params, this.postings.data(), (s) => this.slots.passageAt(s), meta);
  }

  private killSlot(slot: number): void {
    if (this.postings.dead[slot] === 1) return;
    const p = this.slots.passageAt(slot);
    const ids = new Set([...this.terms.of(p.text, false), ...this.terms.of(p.title, false)].filter((t) => t >= 0));
    this.postings.kill(slot, ids);
    this.slots.remove(slot, p);
  }

  private maybeMerge(): void {
    const p = this.postings;
    if (p.deadCount > Math.max(256, p.slotCount / 4) || p.deltaSize > Math.max(65536, p.baseSize / 4)) this.merge();
  }

  private merge(): void {
    const { remap, termsChanged } = this.postings.merge();
    this.applyRemap(remap, termsChanged);
  }

  /** After a merge: forgets cached term ids when they changed and moves per-slot data to the new slots. */
  private applyRemap(remap: Int32Array, termsChanged: boolean): void {
    if (termsChanged) this.terms.forget();
    this.slots.applyRemap(remap);
  }
}
