/**
 * Finds where the sources of one story state different facts about the same thing: a person's
 * title, a number attached to the same noun, a date of the same event, the place of the same event.
 * Built to keep false alarms low (see docs/briefings.md): facts are compared only when anchored to
 * the same entity or noun phrase, values are normalised (case, word order, "U.S."/"US"), a value that
 * merely narrows another ("Secretary" vs "Secretary of State") agrees with it, and a source that
 * states both values is left out of that comparison.
 */
import { type DisagreementInput, type Fact, type FactKind, extractFacts } from './fact-extraction.ts';
import type { DocSentence } from './story-grouping.ts';

export type { DisagreementInput, Fact, FactKind };
export { extractFacts };

/** One side of a disagreement: the value as written and the sentence stating it. */
export interface DisagreementSide {
  value: string;
  source: string;
  sentence: DocSentence;
}

/** A disagreement before citation numbers are assigned. */
export interface DisagreementFinding {
  /** e.g. `Antony Blinken's title: "Secretary of State" (NBC News) vs "Defense Secretary" (Daily Wire)`. */
  about: string;
  /** Two or more sides, one per differing value, in source order. */
  sides: DisagreementSide[];
}

/** True when one value's parts contain the other's (a narrower statement of the same fact). */
function compatible(a: Fact, b: Fact): boolean {
  if (a.kind === 'number' || a.kind === 'place') return a.parts.join() === b.parts.join();
  const [small, large] = a.parts.length <= b.parts.length ? [a, b] : [b, a];
  return small.parts.every((p) => large.parts.includes(p));
}

/** Same kind, same key, and (for values) surrounding words that mostly match: ≥ 2 shared and Jaccard ≥ 0.4. */
function sameThing(a: Fact, b: Fact): boolean {
  if (a.kind !== b.kind || a.key !== b.key) return false;
  if (a.kind === 'title') return true;
  let shared = 0;
  for (const w of a.window) if (b.window.has(w)) shared++;
  return shared >= 2 && shared / (a.window.size + b.window.size - shared) >= 0.4;
}

/**
 * Disagreements between the sources of one story, strongest evidence first (titles, then dates,
 * numbers, places). Needs at least two sources; returns `[]` otherwise.
 */
export function findDisagreements(inputs: DisagreementInput[]): DisagreementFinding[] {
  if (new Set(inputs.map((i) => i.source)).size < 2) return [];
  const facts = extractFacts(inputs);
  const textOf = new Map<string, string>();
  for (const i of inputs) textOf.set(i.source, `${textOf.get(i.source) ?? ''}\n${i.sentences.map((s) => s.text).join(' ')}`.toLowerCase());
  // Cluster facts about the same thing (greedy, against each cluster's first fact).
  const clusters: Fact[][] = [];
  for (const f of facts) {
    const c = clusters.find((cl) => sameThing(cl[0]!, f));
    if (c) c.push(f);
    else clusters.push([f]);
  }
  const findings: Array<DisagreementFinding & { rank: number }> = [];
  const rank: Record<FactKind, number> = { title: 0, date: 1, number: 2, place: 3 };
  for (const cluster of clusters) {
    const bySource = new Map<string, Fact[]>();
    for (const f of cluster) bySource.set(f.source, [...(bySource.get(f.source) ?? []), f]);
    if (bySource.size < 2) continue;
    // A source that contradicts itself states both values: leave it out.
    const sides: Fact[] = [];
    for (const list of bySource.values()) {
      if (list.some((f) => list.some((g) => !compatible(f, g)))) continue;
      sides.push(list.reduce((best, f) => (f.parts.length > best.parts.length ? f : best), list[0]!));
    }
    const distinct: Fact[] = [];
    for (const f of sides) if (!distinct.some((d) => compatible(d, f))) distinct.push(f);
    if (distinct.length < 2) continue;
    // Places: a source that mentions the other place anywhere is not contradicting it.
    if (distinct[0]!.kind === 'place' && distinct.some((f) => distinct.some((g) => g !== f && textOf.get(f.source)!.includes(g.parts[0]!)))) continue;
    const subject = cluster.reduce((best, f) => (f.subject.length > best.length ? f.subject : best), '');
    const values = distinct.map((f) => `"${f.display}" (${f.source})`).join(' vs ');
    const label =
      distinct[0]!.kind === 'title'
        ? `${subject}'s title`
        : distinct[0]!.kind === 'date'
          ? `Date for "${subject}"`
          : distinct[0]!.kind === 'number'
            ? `Figure for "${subject}"`
            : `Place of "${subject}"`;
    findings.push({
      about: `${label}: ${values}`,
      sides: distinct.map((f) => ({ value: f.display, source: f.source, sentence: f.sentence })),
      rank: rank[distinct[0]!.kind],
    });
  }
  findings.sort((a, b) => a.rank - b.rank);
  return findings.map(({ about, sides }) => ({ about, sides }));
}
