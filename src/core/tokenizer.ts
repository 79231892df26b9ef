/**
 * English tokenizer shared by indexing, querying, the answerer and the briefing.
 *
 * A word is a run of letters, digits and combining marks, optionally followed by one apostrophe
 * (`'` or `’`) and more letters (`don't`, `O’Neill`, `Obama's`). Terms are words lower-cased, with
 * a possessive `'s` dropped, stop words removed, accents folded (`café` → `cafe`) and Porter-stemmed.
 * Scanning is a hand-written loop with a cache from word to term, so indexing large corpora spends
 * most of its time in one Map lookup per word.
 */
import { stemmer } from 'stemmer';

/** English stop words dropped before indexing and scoring (lower-case, no apostrophes). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off
on once only or other our ours ourselves out over own same she should so some such than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves`.split(/\s+/),
);

/** Character classes; 0 in the table means "not yet classified". */
const LETTER = 1;
const DIGIT = 2;
const MARK = 3;
const OTHER = 4;
/** Added to a class when the character is a surrogate pair (two UTF-16 units). */
const PAIR = 8;
const charClass = new Uint8Array(0x10000);
const astralClass = new Map<number, number>();
const IS_LETTER = /\p{L}/u;
const IS_DIGIT = /\p{N}/u;
const IS_MARK = /\p{M}/u;
const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;

/** Classes of the 128 ASCII characters, looked up without a function call. */
const ASCII_CLASS = new Uint8Array(128).fill(OTHER);
for (let code = 0; code < 128; code++) {
  if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) ASCII_CLASS[code] = LETTER;
  else if (code >= 0x30 && code <= 0x39) ASCII_CLASS[code] = DIGIT;
}

function classOf(ch: string): number {
  return IS_LETTER.test(ch) ? LETTER : IS_DIGIT.test(ch) ? DIGIT : IS_MARK.test(ch) ? MARK : OTHER;
}

/** Class of the character at `i`, plus {@link PAIR} when it is a surrogate pair. */
function classAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      const point = ((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
      let cls = astralClass.get(point);
      if (cls === undefined) {
        cls = classOf(String.fromCodePoint(point));
        astralClass.set(point, cls);
      }
      return cls | PAIR;
    }
  }
  let cls = charClass[code] as number;
  if (cls === 0) {
    cls = classOf(String.fromCharCode(code));
    charClass[code] = cls;
  }
  return cls;
}

/**
 * Calls `onWord` with each word of `lowerText` in order. The text should already be lower-cased
 * (`tokenize` and `words` do that); words are exact substrings of it.
 */
export function forEachWord(lowerText: string, onWord: (word: string) => void): void {
  const n = lowerText.length;
  let i = 0;
  while (i < n) {
    // Skip to the start of a word (ASCII fast path first).
    let code = lowerText.charCodeAt(i);
    let c = code < 0x80 ? (ASCII_CLASS[code] as number) : classAt(lowerText, i);
    if ((c & 7) === OTHER) {
      i += c & PAIR ? 2 : 1;
      continue;
    }
    const start = i;
    i += c & PAIR ? 2 : 1;
    while (i < n) {
      code = lowerText.charCodeAt(i);
      c = code < 0x80 ? (ASCII_CLASS[code] as number) : classAt(lowerText, i);
      if ((c & 7) === OTHER) break;
      i += c & PAIR ? 2 : 1;
    }
    if ((code === APOSTROPHE || code === RIGHT_QUOTE) && i + 1 < n && (classAt(lowerText, i + 1) & 7) === LETTER) {
      i += 1;
      while (i < n) {
        c = classAt(lowerText, i);
        if ((c & 7) !== LETTER && (c & 7) !== MARK) break;
        i += c & PAIR ? 2 : 1;
      }
    }
    onWord(lowerText.slice(start, i));
  }
}

const COMBINING = /\p{M}+/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const termCache = new Map<string, string>();
/** Bound on cached words; the cache is cleared when it grows past this (a corpus of 100k passages needs ~250k). */
const TERM_CACHE_LIMIT = 1 << 20;

/**
 * The index term for one lower-cased word from {@link forEachWord}: `''` for a stop word, otherwise
 * the Porter stem of the word with a possessive `'s` dropped, `’` read as `'` and accents folded.
 */
export function termOf(word: string): string {
  const cached = termCache.get(word);
  if (cached !== undefined) return cached;
  let w = word;
  if (NON_ASCII.test(w)) w = w.normalize('NFD').replace(COMBINING, '').replaceAll('’', "'").normalize('NFC');
  if (w.endsWith("'s")) w = w.slice(0, -2);
  const term = w === '' || STOP_WORDS.has(w) ? '' : stemmer(w);
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  termCache.set(word, term);
  return term;
}

/** Lower-cased word tokens of `text` in order (no stemming, stop words kept, apostrophes kept). */
export function words(text: string): string[] {
  const out: string[] = [];
  forEachWord(text.toLowerCase(), (w) => out.push(w));
  return out;
}

/** Index/query terms of `text` in order: lower-cased, stop words dropped, accents folded, Porter-stemmed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  forEachWord(text.toLowerCase(), (w) => {
    const term = termOf(w);
    if (term !== '') out.push(term);
  });
  return out;
}
