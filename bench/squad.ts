/**
 * SQuAD v1.1 dev data for benchmarks (see ../shared/eval/README.md): loading, the perturbed scale
 * corpora, question sampling and hit@k scoring. Shared by squad-quality.ts and retrieval.bench.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Passage } from '../src/core/types.ts';

/** Where the eval files live, relative to the repository root. */
export const EVAL_DIR = process.env.BRIEFBOT_EVAL_DIR ?? join(import.meta.dirname, '..', '..', 'shared', 'eval');

export interface SquadPassage {
  id: string;
  title: string;
  text: string;
}

export interface SquadQuestion {
  id: string;
  question: string;
  answers: string[];
  passage_id: string;
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export function loadSquad(dir = EVAL_DIR): { passages: SquadPassage[]; questions: SquadQuestion[] } {
  return {
    passages: readJsonl<SquadPassage>(join(dir, 'squad-dev-passages.jsonl')),
    questions: readJsonl<SquadQuestion>(join(dir, 'squad-dev-questions.jsonl')),
  };
}

/** One passage per eval paragraph, as the README prescribes (the paragraph is its own document). */
export function toPassage(p: SquadPassage): Passage {
  return { id: p.id, documentId: p.id, ordinal: 0, title: p.title, text: p.text, start: 0, end: p.text.length };
}

/** Deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SENTENCE_END = /(?<=[.!?])\s+(?=\S)/;
const LONG_WORD = /[A-Za-z]{4,}/g;
const SYLLABLES = ['ka', 'lo', 'mi', 'ru', 'ten', 'vos', 'zi', 'pa', 'dre', 'nu', 'ho', 'sel'];

/**
 * The dev passages plus `copies` perturbed copies of each (ids `<id>#<k>`): in each copy the
 * sentence order is rotated by a random amount and ~5% of words of 4+ letters are replaced by a
 * pseudo-word specific to that copy. Deterministic for a given seed.
 */
export function scaleCorpus(base: SquadPassage[], copies: number, seed = 7): SquadPassage[] {
  const rnd = random(seed);
  const out: SquadPassage[] = [...base];
  for (let k = 1; k <= copies; k++) {
    const tag = pseudoWord(k, rnd);
    for (const p of base) {
      const sentences = p.text.split(SENTENCE_END);
      const shift = Math.floor(rnd() * sentences.length);
      const rotated = [...sentences.slice(shift), ...sentences.slice(0, shift)].join(' ');
      const text = rotated.replace(LONG_WORD, (w) => (rnd() < 0.05 ? `${tag}${pseudoWord(w.length, rnd)}` : w));
      out.push({ id: `${p.id}#${k}`, title: p.title, text });
    }
  }
  return out;
}

function pseudoWord(n: number, rnd: () => number): string {
  let w = '';
  for (let i = 0; i < 2 + (n % 3); i++) w += SYLLABLES[Math.floor(rnd() * SYLLABLES.length)];
  return w;
}

/** `n` questions drawn without replacement with a fixed seed (all of them when n >= length). */
export function sample<T>(items: T[], n: number, seed = 7): T[] {
  if (n >= items.length) return items;
  const rnd = random(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

/** The gold paragraph of a result id (copies `<id>#<k>` count as the original). */
export function baseId(id: string): string {
  const hash = id.indexOf('#');
  return hash < 0 ? id : id.slice(0, hash);
}

export interface Quality {
  queries: number;
  hitAt1: number;
  hitAt5: number;
  mrrAt10: number;
}

/** hit@1, hit@5 and MRR@10 from each question's ranked result ids (top 10 at least). */
export function quality(questions: SquadQuestion[], ranked: (q: SquadQuestion) => string[]): Quality {
  let h1 = 0;
  let h5 = 0;
  let mrr = 0;
  for (const q of questions) {
    const rank = ranked(q)
      .slice(0, 10)
      .findIndex((id) => baseId(id) === q.passage_id);
    if (rank === 0) h1++;
    if (rank >= 0 && rank < 5) h5++;
    if (rank >= 0) mrr += 1 / (rank + 1);
  }
  const n = Math.max(1, questions.length);
  return { queries: questions.length, hitAt1: h1 / n, hitAt5: h5 / n, mrrAt10: mrr / n };
}
