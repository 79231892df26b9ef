import { questionTerms, scoreSentences, termCoverage } from './extract.ts';
import type { Answer, Citation, Confidence, ScoredPassage } from './types.ts';

/** What the answerer needs to know about a document to cite it. */
export interface DocumentInfo {
  title: string;
  source: string;
  url?: string;
  furniture?: ReadonlyArray<{ start: number; end: number }>;
}

export interface ExtractiveAnswererOptions {
  /** Looks up a document's citation details; undefined for unknown ids. */
  describe: (documentId: string) => DocumentInfo | undefined;
  /** IDF-style weight of a stemmed term. */
  weight: (term: string) => number;
  /** Passage-level share of the question's term weight below which the answer is "not found"; default 0.5. */
  minCoverage?: number;
  /** Sentences in an answer, 1 or 2; default 2. */
  maxSentences?: 1 | 2;
  /** How many of the given passages are read for sentences; default 3. */
  readPassages?: number;
}

/** The reply when the documents do not hold an answer. */
export const NOT_FOUND_TEXT = "I couldn't find that in the documents.";

/**
 * The offline answerer: picks the best one or two sentences from the top passages, each followed by
 * an `[n]` marker whose citation quotes it. When the best passage covers less than `minCoverage` of
 * the question's (IDF-weighted) terms, the answer is `found: false` with a plain "not in the
 * documents" reply and the closest passages as citations.
 */
export function createExtractiveAnswerer(options: ExtractiveAnswererOptions) {
  const minCoverage = options.minCoverage ?? 0.5;
  const maxSentences = options.maxSentences ?? 2;
  const readPassages = options.readPassages ?? 3;

  const cite = (n: number, sp: ScoredPassage, quote: string): Citation => citePassage(n, sp, quote, options.describe(sp.passage.documentId));

  function answer(question: string, passages: ScoredPassage[]): Answer {
    const qTerms = questionTerms(question);
    const coverages = passages.slice(0, readPassages).map((sp) => termCoverage(qTerms, sp.passage.text, options.weight));
    const bestCoverage = Math.max(0, ...coverages);
    const candidates = passages.length ? scoreSentences(question, passages.slice(0, readPassages), {
      weight: options.weight,
      furnitureOf: (id) => options.describe(id)?.furniture,
    }) : [];

    if (!candidates.length || bestCoverage < minCoverage) {
      return notFound(question, passages);
    }

    const best = candidates[0]!;
    const chosen = [best];
    if (maxSentences === 2) {
      const second = candidates.find((c) => c !== best && c.score >= best.score * 0.45 && c.text !== best.text);
      if (second) chosen.push(second);
    }
    // Read in document order when both come from the same passage.
    if (chosen.length === 2 && chosen[0]!.passageIndex === chosen[1]!.passageIndex && chosen[0]!.start > chosen[1]!.start) {
      chosen.reverse();
    }

    const citations: Citation[] = [];
    const numberOf = new Map<number, Citation>();
    const parts: string[] = [];
    for (const s of chosen) {
      let c = numberOf.get(s.passageIndex);
      if (c) c.quote = `${c.quote} ${s.text}`;
      else {
        c = cite(citations.length + 1, passages[s.passageIndex]!, s.text);
        citations.push(c);
        numberOf.set(s.passageIndex, c);
      }
      parts.push(`${s.text} [${c.n}]`);
    }
    return {
      question,
      markdown: parts.join(' '),
      citations,
      found: true,
      mode: 'extractive',
      confidence: confidenceOf(bestCoverage, best.coverage, passages),
    };
  }

  function notFound(question: string, passages: ScoredPassage[]): Answer {
    const closest = passages.slice(0, 2);
    const citations = closest.map((sp, i) => cite(i + 1, sp, firstSentence(sp.passage.text)));
    const markdown = citations.length
      ? `${NOT_FOUND_TEXT} The closest passages are ${citations.map((c) => `[${c.n}]`).join(' and ')}.`
      : `${NOT_FOUND_TEXT} Nothing in them matches your question.`;
    return { question, markdown, citations, found: false, mode: 'extractive', confidence: 'low' };
  }

  return { answer, notFound };
}

export type ExtractiveAnswerer = ReturnType<typeof createExtractiveAnswerer>;

/** A citation of a retrieved passage, with the document's title, source and link when known. */
export function citePassage(n: number, sp: ScoredPassage, quote: string, info: Omit<DocumentInfo, 'furniture'> | undefined): Citation {
  const c: Citation = {
    n,
    passageId: sp.passage.id,
    documentId: sp.passage.documentId,
    title: info?.title ?? sp.passage.title,
    source: info?.source ?? sp.passage.documentId,
    quote,
  };
  if (info?.url) c.url = info.url;
  return c;
}

/**
 * Confidence from the retrieval evidence: how much of the question the best passage and the chosen
 * sentence cover, and how clearly the top passage beats the runner-up.
 */
export function confidenceOf(passageCoverage: number, sentenceCoverage: number, passages: ScoredPassage[]): Confidence {
  const top = passages[0]?.score ?? 0;
  const second = passages[1]?.score ?? 0;
  const margin = top > 0 ? (top - second) / top : 0;
  if (passageCoverage >= 0.8 && sentenceCoverage >= 0.6 && (margin >= 0.1 || passages.length === 1)) return 'high';
  if (passageCoverage >= 0.65 && sentenceCoverage >= 0.4) return 'medium';
  return 'low';
}

function firstSentence(text: string): string {
  const trimmed = text.trim();
  const m = /^[\s\S]*?[.!?]["”’)]?(?=\s|$)/u.exec(trimmed);
  const s = (m ? m[0] : trimmed).trim();
  return s.length > 300 ? `${s.slice(0, 297)}…` : s;
}
