/**
 * The lexical index's phrase bonus: each pair of adjacent query terms (stop words skipped) that also
 * appears adjacently, in order, in a passage's body adds the pair's weight to the passage's BM25F
 * score. The bonus is exact over all passages: a bound on it limits the phrase check to passages
 * that could still rank.
 */
import type { Accumulator } from './posting-types.ts';
import type { Postings } from './postings.ts';
import { STOP, UNKNOWN } from './term-ids.ts';
import { topK } from './top-k.ts';

/** Bonus per query bigram found in a candidate, times the smaller idf of its two terms. */
const PHRASE_WEIGHT = 0.35;

/** The query's term pairs, for the phrase bonus. */
export interface Phrases {
  /** Second term → first term → bonus weight. */
  bySecond: Map<number, Map<number, number>>;
  /** Each pair's query-term bits (see Accumulator.matched) and weight. */
  pairs: Array<{ bits: number; weight: number }>;
  /** Sum of all pair weights. */
  maxBonus: number;
  /** Value of `phraseMark[t]` for every second term `t` of this query's pairs. */
  stamp: number;
}

/** Ranks a query's BM25F candidates with the phrase bonus added, reusing per-slot and per-term scratch. */
export class PhraseScorer {
  /** Per slot: BM25F plus phrase bonus while a query runs (0 = not computed). */
  private boosted = new Float64Array(0);
  /** Per term: stamp of the last query for which it is the second term of a pair. */
  private phraseMark: Int32Array = new Int32Array(0);
  private phraseStamp = 0;

  /** `k1` is the BM25 saturation the bonus is scaled with (a bonus is worth `k1 + 1` times its idf share). */
  constructor(
    private readonly postings: Postings,
    private readonly k1: number,
  ) {}

  /** Replaces the per-slot scratch with a zeroed one of `size` slots (called when the accumulator grows). */
  resize(size: number): void {
    this.boosted = new Float64Array(size);
  }

  /**
   * The exact top `limit` by BM25F plus the phrase bonus. Once the best BM25F candidates give a
   * `limit`-th total score θ, a passage can only make the list if its BM25F plus the bonus of the
   * pairs whose both terms it matched reaches θ; only those get their phrases checked.
   */
  rank(phrases: Phrases, acc: Accumulator, limit: number, allowed: Uint8Array | undefined): Array<[number, number]> {
    const { scores, touched, count, matched } = acc;
    if (phrases.pairs.length === 0) return topK(touched, count, scores, limit, allowed);
    const boosted = this.boosted;
    const evaluated: number[] = [];
    const evaluate = (slot: number) => {
      if (boosted[slot] !== 0) return;
      boosted[slot] = (scores[slot] as number) + this.phraseBonus(slot, phrases);
      evaluated.push(slot);
    };
    try {
      for (const [slot] of topK(touched, count, scores, limit, allowed)) evaluate(slot);
      const first = topK(evaluated, evaluated.length, boosted, limit);
      if (first.length < limit) return first;
      const theta = (first[limit - 1] as [number, number])[1];
      const floor = theta - phrases.maxBonus;
      for (let i = 0; i < count; i++) {
        const s = touched[i] as number;
        const score = scores[s] as number;
        if (score < floor || (allowed && allowed[s] !== 1)) continue;
        let bound = 0;
        const has = matched[s] as number;
        for (const pair of phrases.pairs) if ((has & pair.bits) === pair.bits) bound += pair.weight;
        if (score + bound >= theta) evaluate(s);
      }
      return topK(evaluated, evaluated.length, boosted, limit);
    } finally {
      for (const slot of evaluated) boosted[slot] = 0;
    }
  }

  /** Adjacent pairs of known query terms (stop words skipped), each worth its smaller idf. */
  queryPhrases(sequence: number[], bits: Map<number, number>): Phrases {
    const bySecond = new Map<number, Map<number, number>>();
    const pairs: Phrases['pairs'] = [];
    const scale = PHRASE_WEIGHT * (this.k1 + 1);
    const stamp = ++this.phraseStamp;
    if (this.phraseMark.length < this.postings.terms.length) this.phraseMark = new Int32Array(this.postings.terms.length * 2);
    let maxBonus = 0;
    let prev = UNKNOWN;
    for (const t of sequence) {
      if (t === STOP) continue;
      if (prev >= 0 && t >= 0 && prev !== t) {
        const firsts = bySecond.get(t) ?? new Map<number, number>();
        bySecond.set(t, firsts);
        this.phraseMark[t] = stamp;
        if (!firsts.has(prev)) {
          const weight = scale * Math.min(this.postings.idf(prev), this.postings.idf(t));
          firsts.set(prev, weight);
          pairs.push({ bits: (bits.get(prev) as number) | (bits.get(t) as number), weight });
          maxBonus += weight;
        }
      }
      prev = t;
    }
    return { bySecond, pairs, maxBonus, stamp };
  }

  /** Sum of the weights of the query's term pairs that occur adjacently, in order, in the slot's body. */
  private phraseBonus(slot: number, phrases: Phrases): number {
    const { sequence, sequenceStarts } = this.postings;
    const mark = this.phraseMark;
    const end = sequenceStarts[slot + 1] as number;
    let bonus = 0;
    let found: Set<number> | undefined;
    for (let j = (sequenceStarts[slot] as number) + 1; j < end; j++) {
      const second = sequence[j] as number;
      if (mark[second] !== phrases.stamp) continue;
      const first = sequence[j - 1] as number;
      const weight = phrases.bySecond.get(second)?.get(first);
      if (weight === undefined) continue;
      const key = first * 0x4000000 + second;
      found ??= new Set();
      if (found.has(key)) continue;
      found.add(key);
      bonus += weight;
    }
    return bonus;
  }
}
