/**
 * Turns text into the lexical index's term ids: lower-cased words, stop words marked {@link STOP},
 * the rest normalised ({@link normalizeTerm}) and looked up in the postings vocabulary. Word → id
 * resolutions are cached in a {@link WordTable} until {@link TermIds.forget} is called.
 */
import type { Postings } from './postings.ts';
import { normalizeTerm, WordTable } from './tokenizer.ts';

/** Term id reported for a stop word. */
export const STOP = -1;
/** Term id reported for a word not in the vocabulary (when not creating terms). */
export const UNKNOWN = -2;

/** Word-to-term-id resolution over one {@link Postings} vocabulary. */
export class TermIds {
  /** Word (lower-cased) → term id or STOP; cleared whenever term ids change. */
  private readonly words = new WordTable((word) => this.resolveWord(word));
  /** Whether words not yet in the vocabulary are added (indexing) or reported UNKNOWN (querying). */
  private creating = false;

  constructor(private readonly postings: Postings) {}

  /** Term ids of `text` in order: STOP for stop words, UNKNOWN for terms not in the vocabulary (unless `create`). */
  of(text: string, create: boolean): number[] {
    const out: number[] = [];
    this.forEach(text.toLowerCase(), create, (t) => out.push(t));
    return out;
  }

  /** Calls `onTerm` with the term id of each word of `lowerText`, in order (see {@link of}). */
  forEach(lowerText: string, create: boolean, onTerm: (termId: number) => void): void {
    this.creating = create;
    try {
      this.words.forEach(lowerText, onTerm);
    } finally {
      this.creating = false;
    }
  }

  /** Forgets every cached resolution (call when term ids changed). */
  forget(): void {
    this.words.clear();
  }

  private resolveWord(word: string): number {
    const term = normalizeTerm(word);
    if (term === '') return STOP;
    const id = this.postings.termId(term, this.creating);
    return id < 0 ? UNKNOWN : id;
  }
}
