import { inFurniture } from './furniture.ts';
import { splitSentences } from './sentences.ts';
import { tokenize } from './tokenizer.ts';
import type { ScoredPassage } from './types.ts';

/** A candidate answer sentence inside one retrieved passage. */
export interface ScoredSentence {
  /** Index into the passages list given to {@link scoreSentences}. */
  passageIndex: number;
  /** Offsets into the passage text. */
  start: number;
  end: number;
  text: string;
  /** Higher is better; comparable within one call. */
  score: number;
  /** Share (0–1) of the question's term weight that this sentence contains. */
  coverage: number;
}

export interface ScoreSentencesOptions {
  /** IDF-style weight of a stemmed term (see TermStats). */
  weight: (term: string) => number;
  /** Furniture ranges of a document (offsets into Document.text); sentences there are never candidates. */
  furnitureOf?: (documentId: string) => ReadonlyArray<{ start: number; end: number }> | undefined;
  /** How much the passage's retrieval rank counts against the sentence's own overlap; default 0.35. */
  rankWeight?: number;
}

/**
 * The question's content terms: its index terms without the words that only shape the question.
 * "How many"/"how much" ask for a quantity, which the answer states as a number, not with the word
 * "many", so those words would count as missing from every good answer.
 */
export function questionTerms(question: string): string[] {
  return tokenize(question.replace(/\bhow (many|much)\b/gi, 'how'));
}

/** The share of the question's term weight found in `text`. */
export function termCoverage(questionTerms: string[], text: string, weight: (t: string) => number): number {
  const unique = [...new Set(questionTerms)];
  if (!unique.length) return 0;
  const present = new Set(tokenize(text));
  let total = 0;
  let found = 0;
  for (const t of unique) {
    const w = weight(t);
    total += w;
    if (present.has(t)) found += w;
  }
  return total > 0 ? found / total : 0;
}

/**
 * Scores every non-furniture sentence of the retrieved passages against the question: IDF-weighted
 * overlap with the question's terms, a bonus for question-term pairs appearing in order, a small cue
 * bonus when the sentence holds the kind of thing asked for (a number for "how many", a date for
 * "when", a name for "who"), and the passage's retrieval rank. Sorted best first.
 */
export function scoreSentences(question: string, passages: ScoredPassage[], options: ScoreSentencesOptions): ScoredSentence[] {
  const qSeq = questionTerms(question);
  const qTerms = [...new Set(qSeq)];
  const qPairs = new Set<string>();
  for (let i = 0; i + 1 < qSeq.length; i++) qPairs.add(`${qSeq[i]} ${qSeq[i + 1]}`);
  const weights = new Map(qTerms.map((t) => [t, options.weight(t)]));
  const totalWeight = [...weights.values()].reduce((a, b) => a + b, 0);
  if (!totalWeight) return [];
  const cue = questionCue(question);
  const topScore = passages[0]?.score || 1;
  const rankWeight = options.rankWeight ?? 0.35;

  const out: ScoredSentence[] = [];
  passages.forEach((sp, passageIndex) => {
    const furniture = options.furnitureOf?.(sp.passage.documentId);
    const base = sp.passage.start;
    for (const s of splitSentences(sp.passage.text)) {
      if (inFurniture(furniture, base + s.start, base + s.end)) continue;
      const terms = tokenize(s.text);
      if (!terms.length) continue;
      const present = new Set(terms);
      let matched = 0;
      for (const [t, w] of weights) if (present.has(t)) matched += w;
      if (matched === 0) continue;
      let pairs = 0;
      for (let i = 0; i + 1 < terms.length; i++) if (qPairs.has(`${terms[i]} ${terms[i + 1]}`)) pairs++;
      const coverage = matched / totalWeight;
      // Sentences that only restate the question hold no new information.
      const novel = terms.some((t) => !weights.has(t));
      let score = coverage + 0.08 * Math.min(pairs, 3) + rankWeight * (sp.score / topScore);
      if (cue?.test(s.text)) score += 0.12;
      if (!novel) score -= 0.3;
      out.push({ passageIndex, start: s.start, end: s.end, text: s.text, score, coverage });
    }
  });
  return out.sort((a, b) => b.score - a.score || a.passageIndex - b.passageIndex || a.start - b.start);
}

/** What kind of thing the question asks for, as a pattern its answer sentence likely matches. */
function questionCue(question: string): RegExp | undefined {
  const q = question.toLowerCase();
  if (/\bhow (many|much|long|old|far|large|big|tall)\b|\bwhat (percentage|number|amount)\b/.test(q)) return /\d/;
  if (/\bwhen\b|\bwhat (year|date|day|month|time|century|decade)\b|\bwhich year\b/.test(q)) {
    return /\b(1\d{3}|20\d{2}|january|february|march|april|may|june|july|august|september|october|november|december|century|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
  }
  if (/^(who|whom|whose)\b|\bwho\b/.test(q)) return /\b[\p{Lu}][\p{Ll}]+ [\p{Lu}][\p{Ll}]+/u;
  if (/^where\b|\bwhat (country|city|state|place|region)\b|\bwhich (country|city|state|place|region)\b/.test(q)) {
    return /\b(in|at|from|near) [\p{Lu}]/u;
  }
  return undefined;
}
