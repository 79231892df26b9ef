/**
 * Hybrid retrieval: the lexical ranking fused with embedding cosine similarity by reciprocal-rank fusion
 * (score = Σ 1 / (k + rank) over both rankings). Passage embeddings come from a durable cache keyed by
 * text hash, so only new or changed passages are embedded. Any embedding failure falls back to the
 * lexical ranking: hybrid retrieval can only add recall, never take answers away.
 */
import type { Logger } from '../logger.ts';
import { type EmbeddingCache, openEmbeddingCache } from './embedding-cache.ts';
import type { EmbeddingModel } from './model.ts';
import type { Retriever, SearchOptions } from './retriever.ts';
import type { Passage, ScoredPassage } from './types.ts';

export interface HybridRetrieverOptions {
  /** The lexical retriever whose ranking is fused (and returned alone when embeddings fail). */
  lexical: Retriever;
  embeddings: EmbeddingModel;
  /** Folder for the embedding cache, e.g. `DATA_DIR/embeddings`. */
  cacheDir: string;
  /** The current passages (read at each {@link HybridRetriever.index} and search). */
  passages: () => Passage[];
  logger: Logger;
  /** Candidates taken from each ranking before fusion; default 50. */
  candidates?: number;
  /** Reciprocal-rank-fusion constant; default 60. */
  rrfK?: number;
  /** Texts per embeddings request; default 64. */
  batchSize?: number;
}

export interface HybridRetriever extends Retriever {
  /**
   * Embeds passages not yet cached (by text hash). Called by `briefbot index`; searches also do it lazily.
   * Rejects with `ModelError` when the embedding model fails.
   */
  index(signal?: AbortSignal): Promise<{ passages: number; embedded: number }>;
}

interface Entry {
  passage: Passage;
  vector: Float32Array;
  norm: number;
}

/** Creates the hybrid retriever. Best first; scores are RRF scores (comparable within one result list). */
export function createHybridRetriever(o: HybridRetrieverOptions): HybridRetriever {
  const cache: EmbeddingCache = openEmbeddingCache({ dir: o.cacheDir, modelId: o.embeddings.modelId, batchSize: o.batchSize });
  const candidates = o.candidates ?? 50;
  const k = o.rrfK ?? 60;
  let entries: Entry[] = [];
  let indexedFrom: Passage[] | undefined;
  let pending: Promise<{ passages: number; embedded: number }> | undefined;

  const index = async (signal?: AbortSignal): Promise<{ passages: number; embedded: number }> => {
    const passages = o.passages();
    const { vectors, embedded } = await cache.embedAll(passages.map((p) => p.text), o.embeddings, signal);
    entries = passages.map((passage, i) => ({ passage, vector: vectors[i]!, norm: norm(vectors[i]!) }));
    indexedFrom = passages;
    if (embedded) o.logger.info({ embedded, passages: passages.length, cached: cache.size }, 'embedded new passages');
    return { passages: passages.length, embedded };
  };

  /** Re-indexes when the passage list changed; concurrent callers share one run. */
  const ensureIndexed = async (signal?: AbortSignal): Promise<void> => {
    // The library hands out the same Passage objects until a document changes, so an element-wise
    // identity check tells "unchanged" even when `passages()` builds a new array each call.
    const current = o.passages();
    if (indexedFrom && indexedFrom.length === current.length && indexedFrom.every((p, i) => p === current[i])) return;
    pending ??= index(signal).finally(() => {
      pending = undefined;
    });
    await pending;
  };

  return {
    index: (signal) => {
      pending ??= index(signal).finally(() => {
        pending = undefined;
      });
      return pending;
    },

    async search(query: string, options: SearchOptions = {}): Promise<ScoredPassage[]> {
      const limit = options.limit ?? 5;
      const lexical = await o.lexical.search(query, { ...options, limit: Math.max(candidates, limit) });
      try {
        await ensureIndexed();
        const [queryVector] = await o.embeddings.embed([query]);
        if (!queryVector) return lexical.slice(0, limit);
        const allowed = options.documentIds ? new Set(options.documentIds) : undefined;
        const qNorm = norm(queryVector);
        const semantic = entries
          .filter((e) => !allowed || allowed.has(e.passage.documentId))
          .map((e) => ({ e, cos: cosine(queryVector, qNorm, e) }))
          .sort((a, b) => b.cos - a.cos)
          .slice(0, candidates);
        const fused = new Map<string, { passage: Passage; score: number }>();
        const add = (passage: Passage, rank: number): void => {
          const item = fused.get(passage.id) ?? { passage, score: 0 };
          item.score += 1 / (k + rank + 1);
          fused.set(passage.id, item);
        };
        for (const [rank, s] of lexical.entries()) add(s.passage, rank);
        for (const [rank, s] of semantic.entries()) add(s.e.passage, rank);
        return [...fused.values()]
          .sort((a, b) => b.score - a.score || a.passage.id.localeCompare(b.passage.id))
          .slice(0, limit);
      } catch (error) {
        o.logger.warn({ err: error }, 'embedding search failed; using the lexical ranking');
        return lexical.slice(0, limit);
      }
    },
  };
}

function norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

function cosine(q: Float32Array, qNorm: number, e: Entry): number {
  if (q.length !== e.vector.length || qNorm === 0 || e.norm === 0) return 0;
  let dot = 0;
  for (let i = 0; i < q.length; i++) dot += q[i]! * e.vector[i]!;
  return dot / (qNorm * e.norm);
}
