/**
 * Groups documents that report the same story, across sources. Pure and offline: each document is
 * reduced to a profile (content-term vector and named-entity vector), documents are compared by a
 * blend of both cosines, and groups are formed by average-link agglomerative clustering, so one
 * loosely related document cannot chain two unrelated stories together.
 */
import { stemmer } from 'stemmer';
import { STOP_WORDS, tokenize } from './tokenizer.ts';

/** A sentence of a document that may be quoted (never page furniture). */
export interface DocSentence {
  documentId: string;
  /** The passage that contains the whole sentence. */
  passageId: string;
  /** Verbatim sentence text (`document.text.slice(start, end)`). */
  text: string;
  start: number;
  end: number;
  /** 0-based position among the document's usable sentences. */
  index: number;
}

/** What grouping needs to know about one document. */
export interface DocumentProfile {
  documentId: string;
  /** Content terms (stemmed, stop words dropped) with counts. */
  terms: Map<string, number>;
  /** Named-entity tokens (lower-cased capitalised words, e.g. `blinken`, `taliban`) with counts. */
  entities: Map<string, number>;
}

/** One group of documents about the same story. */
export interface StoryGroup {
  /** Indices into the profiles passed to {@link groupStories}, most central first. */
  members: number[];
  /** Mean similarity of each member to the other members (same order; 1 for a single document). */
  centrality: number[];
}

/** Tuning for {@link groupStories}; the defaults are documented in docs/briefings.md. */
export interface GroupingOptions {
  /** Average similarity two groups need to merge (0–1). Default 0.25. */
  threshold?: number;
  /** Weight of the entity cosine in the blended similarity (0–1). Default 0.5. */
  entityWeight?: number;
}

/** A word with its offsets in the text it came from. */
export interface WordToken {
  text: string;
  start: number;
  end: number;
  /** True when only white space separates this token from the previous one (no punctuation). */
  joined: boolean;
}

const WORD_TOKEN = /[\p{L}\p{N}]+(?:[’'.,-][\p{L}\p{N}]+)*\.?/gu;

/** Word tokens with offsets; keeps "2,500", "4.2", "U.S." and "Caballero-Reynolds" whole. */
export function wordTokens(text: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of text.matchAll(WORD_TOKEN)) {
    let t = m[0];
    // Keep the period of abbreviations like "U.S." but not a sentence-final one.
    if (t.endsWith('.') && !/^(?:\p{L}\.){2,}$/u.test(t)) t = t.slice(0, -1);
    const prev = out.at(-1);
    const joined = prev !== undefined && /^\s+$/.test(text.slice(prev.end, m.index));
    out.push({ text: t, start: m.index, end: m.index + t.length, joined });
  }
  return out;
}

/** Lower-case connectors allowed inside a proper-noun run ("Secretary of State", "Osama bin Laden"). */
const CONNECTORS = new Set(['of', 'bin', 'al', 'de', 'da', 'van', 'von', 'la', 'del']);

/** True when a token starts with an upper-case letter (or is all caps, like "UN"). */
export function isCapitalised(token: string): boolean {
  return /^\p{Lu}/u.test(token);
}

/**
 * Runs of capitalised tokens in a sentence (proper-noun phrases), connectors allowed inside.
 * Runs break at punctuation. A leading stop word ("The Biden …") is dropped. Returns token index
 * ranges into `tokens`.
 */
export function capitalisedRuns(tokens: WordToken[]): Array<{ from: number; to: number }> {
  const runs: Array<{ from: number; to: number }> = [];
  let i = 0;
  while (i < tokens.length) {
    if (!isCapitalised(tokens[i]!.text)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length && tokens[j]!.joined) {
      const t = tokens[j]!.text;
      if (isCapitalised(t)) j++;
      else if (CONNECTORS.has(t) && tokens[j + 1]?.joined && isCapitalised(tokens[j + 1]!.text)) j += 2;
      else break;
    }
    let from = i;
    while (from < j && STOP_WORDS.has(tokens[from]!.text.toLowerCase())) from++;
    if (from < j) runs.push({ from, to: j });
    i = j;
  }
  return runs;
}

/** Words that are capitalised only because of their position or role, never entities by themselves. */
function isEntityToken(token: string, sentenceInitial: boolean, lowerSeen: Set<string>): boolean {
  const lower = token.toLowerCase();
  if (STOP_WORDS.has(lower) || CONNECTORS.has(lower) || /^\p{N}/u.test(token)) return false;
  // A sentence-initial word that the document also writes in lower case is an ordinary word.
  if (sentenceInitial && lowerSeen.has(lower)) return false;
  return true;
}

/** Builds a document's profile from its usable sentences (furniture already removed). */
export function profileDocument(documentId: string, title: string, sentences: DocSentence[]): DocumentProfile {
  const terms = new Map<string, number>();
  const entities = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, n = 1): void => {
    map.set(key, (map.get(key) ?? 0) + n);
  };
  const lowerSeen = new Set<string>();
  for (const s of sentences) for (const t of wordTokens(s.text)) if (!isCapitalised(t.text)) lowerSeen.add(t.text);
  const texts = title ? [title, ...sentences.map((s) => s.text)] : sentences.map((s) => s.text);
  for (const text of texts) {
    for (const term of tokenize(text)) add(terms, term);
    const tokens = wordTokens(text);
    for (const run of capitalisedRuns(tokens)) {
      for (let k = run.from; k < run.to; k++) {
        const tok = tokens[k]!.text.replace(/['’]s$/, '');
        if (isEntityToken(tok, k === 0, lowerSeen)) add(entities, stemmer(tok.toLowerCase()));
      }
    }
  }
  return { documentId, terms, entities };
}

/** Sparse vector helpers. */
type Vector = Map<string, number>;

function weigh(counts: Map<string, number>, idf: Map<string, number>): Vector {
  const v: Vector = new Map();
  let norm = 0;
  for (const [k, c] of counts) {
    const w = (1 + Math.log(c)) * (idf.get(k) ?? 0);
    if (w > 0) {
      v.set(k, w);
      norm += w * w;
    }
  }
  norm = Math.sqrt(norm) || 1;
  for (const [k, w] of v) v.set(k, w / norm);
  return v;
}

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, w] of small) dot += w * (large.get(k) ?? 0);
  return dot;
}

function inverseFrequencies(maps: Array<Map<string, number>>): Map<string, number> {
  const df = new Map<string, number>();
  for (const m of maps) for (const k of m.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const idf = new Map<string, number>();
  // Smoothed so a term in every document still counts (with two documents, shared terms matter).
  for (const [k, n] of df) idf.set(k, Math.log(1 + maps.length / n));
  return idf;
}

/**
 * Pairwise similarity matrix of the profiles: `(1 - w) * termCosine + w * entityCosine`, both with
 * sublinear tf and smoothed idf computed over this batch.
 */
export function similarityMatrix(profiles: DocumentProfile[], entityWeight = 0.5): number[][] {
  const termIdf = inverseFrequencies(profiles.map((p) => p.terms));
  const entityIdf = inverseFrequencies(profiles.map((p) => p.entities));
  const tv = profiles.map((p) => weigh(p.terms, termIdf));
  const ev = profiles.map((p) => weigh(p.entities, entityIdf));
  const n = profiles.length;
  const sim = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    sim[i]![i] = 1;
    for (let j = i + 1; j < n; j++) {
      const s = (1 - entityWeight) * cosine(tv[i]!, tv[j]!) + entityWeight * cosine(ev[i]!, ev[j]!);
      sim[i]![j] = s;
      sim[j]![i] = s;
    }
  }
  return sim;
}

/**
 * Groups profiles into stories. Average-link agglomerative clustering: repeatedly merge the two
 * groups with the highest mean pairwise similarity while it is at least `threshold`. Members of
 * each group are ordered most central first (highest mean similarity to the rest of the group;
 * ties keep input order). Groups come back in input order of their first member.
 */
export function groupStories(profiles: DocumentProfile[], options: GroupingOptions = {}): StoryGroup[] {
  const threshold = options.threshold ?? 0.25;
  const sim = similarityMatrix(profiles, options.entityWeight ?? 0.5);
  let clusters = profiles.map((_, i) => [i]);
  for (;;) {
    let best = -1;
    let pair: [number, number] | undefined;
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        const s = averageLink(sim, clusters[a]!, clusters[b]!);
        if (s > best) {
          best = s;
          pair = [a, b];
        }
      }
    }
    if (!pair || best < threshold) break;
    const [a, b] = pair;
    const merged = [...clusters[a]!, ...clusters[b]!].sort((x, y) => x - y);
    clusters = clusters.filter((_, k) => k !== a && k !== b);
    clusters.push(merged);
  }
  clusters.sort((x, y) => x[0]! - y[0]!);
  return clusters.map((members) => byCentrality(sim, members));
}

function averageLink(sim: number[][], a: number[], b: number[]): number {
  let total = 0;
  for (const i of a) for (const j of b) total += sim[i]![j]!;
  return total / (a.length * b.length);
}

function byCentrality(sim: number[][], members: number[]): StoryGroup {
  if (members.length < 2) return { members, centrality: members.map(() => 1) };
  const others = members.length - 1;
  const score = new Map(members.map((i) => [i, members.reduce((t, j) => (j === i ? t : t + sim[i]![j]!), 0) / others]));
  const sorted = [...members].sort((x, y) => score.get(y)! - score.get(x)! || x - y);
  return { members: sorted, centrality: sorted.map((i) => score.get(i)!) };
}
