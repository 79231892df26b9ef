import type { ScoredPassage } from './types.ts';

/** Options for {@link Retriever.search}. */
export interface SearchOptions {
  /** How many passages at most; default 5. */
  limit?: number;
  /** Only passages of these documents (e.g. a briefing's stories). */
  documentIds?: string[];
}

/** Anything that ranks passages for a query. */
export interface Retriever {
  /** Best first; empty when nothing matches. */
  search(query: string, options?: SearchOptions): Promise<ScoredPassage[]>;
}
