import { stemmer } from 'stemmer';

/** English stop words dropped before indexing and scoring. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off
on once only or other our ours ourselves out over own same she should so some such than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased word tokens of `text` (no stemming, stop words kept). */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Index/query terms: lower-cased, stop words dropped, Porter-stemmed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    const word = w.replace(/['’]s$/, '');
    if (STOP_WORDS.has(word)) continue;
    out.push(stemmer(word));
  }
  return out;
}
