/**
 * English tokenizer shared by indexing, querying, the answerer and the briefing.
 *
 * A word is a run of letters, digits and combining marks, optionally followed by segments of an
 * apostrophe (`'` or `’`) and letters (`don't`, `O’Neill's`, `rock'n'roll`). Terms are words
 * lower-cased, with a possessive `'s` dropped, stop words removed, accents folded (`café` → `cafe`)
 * and Porter-stemmed. Scanning is a hand-written loop; {@link WordTable} maps words to ids straight
 * from the text so indexing large corpora allocates no string per word.
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
 * Calls `onSpan(start, end, hash)` for each word of `lowerText` in order; `hash` is FNV-1a over the
 * word's UTF-16 units. The text should already be lower-cased (`tokenize` and `words` do that).
 */
export function scanWords(lowerText: string, onSpan: (start: number, end: number, hash: number) => void): void {
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
    let hash = FNV_OFFSET;
    for (;;) {
      hash = Math.imul(hash ^ code, FNV_PRIME);
      if (c & PAIR) hash = Math.imul(hash ^ lowerText.charCodeAt(++i), FNV_PRIME);
      if (++i >= n) break;
      code = lowerText.charCodeAt(i);
      c = code < 0x80 ? (ASCII_CLASS[code] as number) : classAt(lowerText, i);
      if ((c & 7) === OTHER) break;
    }
    // Apostrophe segments: `don't`, `o'neill's`, `rock'n'roll` (letters only after an apostrophe).
    while ((code === APOSTROPHE || code === RIGHT_QUOTE) && i + 1 < n && (classAt(lowerText, i + 1) & 7) === LETTER) {
      hash = Math.imul(hash ^ code, FNV_PRIME);
      i += 1;
      while (i < n) {
        c = classAt(lowerText, i);
        if ((c & 7) !== LETTER && (c & 7) !== MARK) break;
        hash = Math.imul(hash ^ lowerText.charCodeAt(i), FNV_PRIME);
        if (c & PAIR) hash = Math.imul(hash ^ lowerText.charCodeAt(++i), FNV_PRIME);
        i++;
      }
      code = i < n ? lowerText.charCodeAt(i) : 0;
    }
    onSpan(start, i, hash);
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * Calls `onWord` with each word of `lowerText` in order. The text should already be lower-cased
 * (`tokenize` and `words` do that); words are exact substrings of it.
 */
export function forEachWord(lowerText: string, onWord: (word: string) => void): void {
  scanWords(lowerText, (start, end) => onWord(lowerText.slice(start, end)));
}

const COMBINING = /\p{M}+/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const termCache = new Map<string, string>();
/** Bound on cached words; the cache is cleared when it grows past this (a corpus of 100k passages needs ~250k). */
const TERM_CACHE_LIMIT = 1 << 20;

/**
 * The index term for one lower-cased word from {@link forEachWord}: `''` for a stop word, otherwise
 * the Porter stem of the word with a possessive `'s` dropped, `’` read as `'` and accents folded.
 * Cached per word.
 */
export function termOf(word: string): string {
  const cached = termCache.get(word);
  if (cached !== undefined) return cached;
  const term = normalizeTerm(word);
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  termCache.set(word, term);
  return term;
}

/** {@link termOf} without the cache (for callers that keep their own, like {@link WordTable}). */
export function normalizeTerm(word: string): string {
  let w = word;
  if (NON_ASCII.test(w)) w = w.normalize('NFD').replace(COMBINING, '').replaceAll('’', "'").normalize('NFC');
  if (w.endsWith("'s")) w = w.slice(0, -2);
  return w === '' || STOP_WORDS.has(w) ? '' : stemmer(w);
}

/**
 * Word → number lookups straight from a lower-cased text, without allocating a string per word
 * occurrence: an open-addressing hash table over the words' UTF-16 units (kept in one pool, so keys
 * never pin the texts they came from). `resolve` computes the value of a word seen for the first
 * time; values below -1 are passed on but not remembered (e.g. "not in the vocabulary yet").
 */
export class WordTable {
  /** Entries of 4 ints (hash, value, pool start, length) in one array: one cache line per probe. Length 0 = empty. */
  private entries = new Int32Array(4 * 1024);
  private pool: Uint16Array = new Uint16Array(1 << 16);
  private poolUsed = 0;
  private size = 0;

  constructor(private readonly resolve: (word: string) => number) {}

  /** Calls `onValue` with the value of each word of `lowerText`, in order. */
  forEach(lowerText: string, onValue: (value: number) => void): void {
    scanWords(lowerText, (start, end, hash) => onValue(this.lookup(lowerText, start, end, hash)));
  }

  /** Forgets every word (call when the values it handed out are no longer valid). */
  clear(): void {
    this.entries.fill(0);
    this.poolUsed = 0;
    this.size = 0;
  }

  private lookup(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    const entries = this.entries;
    const mask = (entries.length >> 2) - 1;
    let at = (hash & mask) << 2;
    for (;;) {
      const l = entries[at + 3] as number;
      if (l === 0) break;
      if (l === length && entries[at] === hash) {
        const from = entries[at + 2] as number;
        let k = 0;
        while (k < length && this.pool[from + k] === text.charCodeAt(start + k)) k++;
        if (k === length) return entries[at + 1] as number;
      }
      at = (at + 4) & (entries.length - 1);
    }
    if (this.poolUsed + length > this.pool.length) this.pool = grownPool(this.pool, this.poolUsed + length);
    const from = this.poolUsed;
    for (let k = 0; k < length; k++) this.pool[from + k] = text.charCodeAt(start + k);
    // A fresh flat string (a slice of `text` would keep all of `text` alive wherever it is stored).
    const word =
      length <= 1024
        ? String.fromCharCode.apply(null, this.pool.subarray(from, from + length) as unknown as number[])
        : Buffer.from(text.slice(start, end), 'utf16le').toString('utf16le');
    const value = this.resolve(word);
    if (value < -1) return value;
    this.poolUsed += length;
    entries[at] = hash;
    entries[at + 1] = value;
    entries[at + 2] = from;
    entries[at + 3] = length;
    if (++this.size * 2 > entries.length >> 2) this.rehash();
    return value;
  }

  private rehash(): void {
    const old = this.entries;
    const next = new Int32Array(old.length * 2);
    const mask = (next.length >> 2) - 1;
    for (let i = 0; i < old.length; i += 4) {
      if (old[i + 3] === 0) continue;
      let at = ((old[i] as number) & mask) << 2;
      while (next[at + 3] !== 0) at = (at + 4) & (next.length - 1);
      next.set(old.subarray(i, i + 4), at);
    }
    this.entries = next;
  }
}

function grownPool(pool: Uint16Array, need: number): Uint16Array {
  const next = new Uint16Array(Math.max(need, pool.length * 2));
  next.set(pool);
  return next;
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
