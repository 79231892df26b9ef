/** A sentence as a character range of the text it came from. */
export interface SentenceSpan {
  /** Offset of the first character (inclusive), after leading white space. */
  start: number;
  /** Offset one past the last character (exclusive), before trailing white space. */
  end: number;
  /** `text.slice(start, end)`. */
  text: string;
}

/** Abbreviations after which a period does not end a sentence (lower-case, without the period). */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'gen', 'col', 'lt', 'sgt', 'capt', 'gov', 'sen', 'rep',
  'pres', 'rev', 'hon', 'vs', 'etc', 'inc', 'ltd', 'co', 'corp', 'no', 'vol', 'fig', 'approx', 'dept', 'est',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'mt', 'ft', 'e.g', 'i.e',
  'u.s', 'u.k', 'u.n', 'a.m', 'p.m', 'ca', 'cf', 'al',
]);

const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '»']);

/**
 * Splits text into sentences. Paragraph breaks (a blank line) always end a sentence; `.`, `!`, `?`
 * (and `…`) end one when followed by white space and an upper-case letter, digit, quote or bracket,
 * except after known abbreviations, initials ("J. Smith") and inside numbers ("3.5"). Spans never
 * include the white space between sentences, so joining them loses only white space.
 */
export function splitSentences(text: string, offset = 0, end = text.length): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let start = skipSpace(text, offset, end);
  let i = start;
  const push = (to: number): void => {
    let e = to;
    while (e > start && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > start) spans.push({ start, end: e, text: text.slice(start, e) });
  };
  while (i < end) {
    const ch = text[i]!;
    if (ch === '\n' && text[i + 1] === '\n') {
      push(i);
      start = skipSpace(text, i, end);
      i = start;
      continue;
    }
    if (ch === '.' || ch === '!' || ch === '?' || ch === '…') {
      let j = i + 1;
      while (j < end && (text[j] === '.' || text[j] === '!' || text[j] === '?' || CLOSERS.has(text[j]!))) j++;
      if (j >= end) break;
      if (isSpace(text.charCodeAt(j)) && startsSentence(text, skipSpace(text, j, end), end) && !isAbbreviation(text, start, i, ch)) {
        push(j);
        start = skipSpace(text, j, end);
        i = start;
        continue;
      }
      i = j;
      continue;
    }
    i++;
  }
  push(end);
  return spans;
}

function startsSentence(text: string, at: number, end: number): boolean {
  if (at >= end) return false;
  const c = text[at]!;
  return /[\p{Lu}\p{N}"'“‘([«—–-]/u.test(c);
}

function isAbbreviation(text: string, sentenceStart: number, dot: number, mark: string): boolean {
  if (mark !== '.') return false;
  let k = dot;
  while (k > sentenceStart && /[\p{L}.]/u.test(text[k - 1]!)) k--;
  const word = text.slice(k, dot).toLowerCase();
  if (!word) return false;
  if (ABBREVIATIONS.has(word)) return true;
  // A single capital letter ("J. Smith") is an initial.
  return word.length === 1 && /\p{Lu}/u.test(text[k]!);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 160;
}

function skipSpace(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Paragraph ranges of `text` (blank-line separated), without their surrounding white space, in order. */
export function paragraphRanges(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(/[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g)) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (!body) continue;
    const start = (m.index ?? 0) + lead;
    out.push({ start, end: start + body.length });
  }
  return out;
}
