import { tokenize } from './tokenizer.ts';
import type { Passage } from './types.ts';

/**
 * Document frequencies of index terms over the passages of the corpus, kept up to date as documents
 * change, so answer extraction can weigh question words by how rare they are (IDF).
 */
export interface TermStats {
  /** IDF-style weight of a stemmed term: rare terms weigh more; unseen terms get the highest weight. */
  weight(term: string): number;
  /** Adds (or replaces) one document's passages. */
  setDocument(documentId: string, passages: Passage[]): void;
  removeDocument(documentId: string): void;
  /** Number of passages counted. */
  readonly passageCount: number;
}

export function createTermStats(): TermStats {
  const df = new Map<string, number>();
  const byDocument = new Map<string, string[][]>();
  let passages = 0;
  const apply = (termSets: string[][], delta: 1 | -1): void => {
    for (const terms of termSets) {
      passages += delta;
      for (const t of terms) {
        const next = (df.get(t) ?? 0) + delta;
        if (next <= 0) df.delete(t);
        else df.set(t, next);
      }
    }
  };
  const remove = (documentId: string): void => {
    const old = byDocument.get(documentId);
    if (old) apply(old, -1);
    byDocument.delete(documentId);
  };
  return {
    weight(term) {
      const n = df.get(term) ?? 0;
      return Math.log(1 + (passages - n + 0.5) / (n + 0.5));
    },
    setDocument(documentId, list) {
      remove(documentId);
      const sets = list.map((p) => [...new Set(tokenize(p.text))]);
      byDocument.set(documentId, sets);
      apply(sets, 1);
    },
    removeDocument: remove,
    get passageCount() {
      return passages;
    },
  };
}
