/**
 * Core data contracts shared by the indexer, the answerer, the briefing and every adapter.
 * Nothing here knows about Slack, Discord or any SDK.
 */

/** One source file of the corpus, normalised to plain text. */
export interface Document {
  /** Stable id: the path relative to the corpus root, with `/` separators (e.g. `news/a.md`). */
  id: string;
  /** Title from front matter, `<title>`, the first line of a `.txt`, or the file name. */
  title: string;
  /** Where it came from: the outlet (front matter `outlet`/`source`) or, failing that, the file name. */
  source: string;
  /** Link to the original, when the document states one. */
  url?: string;
  /** ISO date (YYYY-MM-DD or full ISO) when the document states one. */
  publishedAt?: string;
  /** The readable body text. Paragraphs are separated by a blank line (`\n\n`). */
  text: string;
  /**
   * Character ranges of `text` that are page furniture (photo captions, app promos, comment-form
   * footers, lone "Source" lines). They stay in `text` so offsets remain true to the published
   * document, but they are never used as answer or summary sentences. Sorted, non-overlapping.
   */
  furniture?: Array<{ start: number; end: number }>;
  /** sha256 (hex) of the raw file bytes; changes when the file changes. */
  hash: string;
  /** Last modification time of the file (ms since epoch). */
  mtimeMs?: number;
}

/** A retrievable slice of a document: one or more whole paragraphs (or whole sentences of a long one). */
export interface Passage {
  /** `documentId#ordinal`, e.g. `news/a.md#3`. */
  id: string;
  documentId: string;
  /** 0-based position of the passage in its document. */
  ordinal: number;
  /** The document's title (indexed with extra weight). */
  title: string;
  /** Exactly `document.text.slice(start, end)`. */
  text: string;
  /** Character offset of the first character in `Document.text` (inclusive). */
  start: number;
  /** Character offset one past the last character in `Document.text` (exclusive). */
  end: number;
}

/** A passage returned by retrieval with its relevance score (higher is better). */
export interface ScoredPassage {
  passage: Passage;
  /** Retriever-specific score; only comparable within one result list. */
  score: number;
}

/** A source relied on by an answer or a briefing; `[n]` in markdown resolves to `citations[n-1]`. */
export interface Citation {
  /** 1-based marker number. */
  n: number;
  passageId: string;
  documentId: string;
  title: string;
  source: string;
  url?: string;
  /** The sentence(s) relied on, verbatim from the passage. */
  quote: string;
}

export type Confidence = 'high' | 'medium' | 'low';
export type AnswerMode = 'extractive' | 'llm';

/** A cited answer to one question. */
export interface Answer {
  question: string;
  /** Neutral markdown with `[n]` citation markers. Adapters render it for their platform. */
  markdown: string;
  citations: Citation[];
  /** False when the documents do not contain the answer; `markdown` then says so plainly. */
  found: boolean;
  mode: AnswerMode;
  confidence: Confidence;
  /** Optional short note shown with the answer (e.g. "The model was unavailable; extractive answer."). */
  note?: string;
}

/** Where sources state different facts about the same thing. */
export interface Disagreement {
  /** What differs, in a short phrase (e.g. "Antony Blinken's title: "Secretary of State" vs "Defense Secretary""). */
  about: string;
  /** At least two citations, one per differing source. */
  citations: Citation[];
}

/** Reports of one story grouped across sources. */
export interface Story {
  headline: string;
  /** 2–4 sentences of neutral markdown with `[n]` markers resolving into `citations`. */
  summary: string;
  citations: Citation[];
  /** Documents that carry this story (at least one). */
  documentIds: string[];
  /** Distinct sources (outlets) carrying the story, for "2 sources". */
  sources: string[];
  disagreements: Disagreement[];
}

/** A file the loader could not use, and why. */
export interface SkippedFile {
  /** Path relative to the corpus root. */
  path: string;
  reason: string;
}

/** A daily briefing as it would be posted now. */
export interface Briefing {
  /** ISO timestamp. */
  generatedAt: string;
  stories: Story[];
  documents: { included: number; skipped: SkippedFile[] };
  mode: AnswerMode;
}
