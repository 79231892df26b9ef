/**
 * The offline briefing builder: groups documents into stories across sources, writes a short
 * extractive summary per story with `[n]` citations, flags disagreements between sources and closes
 * with ingestion health. Pure: no I/O, no clock unless `now` is omitted.
 */
import { findDisagreements } from './disagreements.ts';
import { splitSentences } from './sentences.ts';
import { type DocSentence, type DocumentProfile, groupStories, profileDocument, wordTokens } from './story-grouping.ts';
import { tokenize } from './tokenizer.ts';
import type { Briefing, Citation, Document, Passage, SkippedFile, Story } from './types.ts';

/** Everything the builder needs; the caller chooses which documents are "new since last time". */
export interface BriefingInput {
  /** The documents to brief on (already filtered to new/changed ones by the caller). */
  documents: Document[];
  /** Files the loader skipped, reported as ingestion health. */
  skipped: SkippedFile[];
  /** Passages of a document in ordinal order (for citations). */
  passagesOf(documentId: string): Passage[];
  /** Clock for `generatedAt`; default the current time. */
  now?: Date;
}

/** Summary length bounds, in sentences. */
const MIN_SUMMARY = 2;
const MAX_SUMMARY = 4;
/** Sentences shorter or longer than this (in words) are not used in summaries. */
const MIN_WORDS = 6;
const MAX_WORDS = 60;
/** Generic news boilerplate that is not furniture but never makes a good summary line. */
const BOILERPLATE =
  /^(?:FIX|CORRECTION|UPDATE|CLARIFICATION)\b|\breported from\b|\bcontributed (?:to )?(?:this )?report|\bdid not (?:immediately )?respond to (?:a )?request|\bdeclined to comment\b/i;

/**
 * The usable sentences of a document: split with {@link splitSentences}, dropping any sentence that
 * overlaps a furniture range or that no passage contains whole.
 */
export function usableSentences(doc: Document, passages: Passage[]): DocSentence[] {
  const furniture = doc.furniture ?? [];
  const out: DocSentence[] = [];
  for (const s of splitSentences(doc.text)) {
    if (furniture.some((f) => s.start < f.end && f.start < s.end)) continue;
    const passage = passages.find((p) => p.start <= s.start && s.end <= p.end);
    if (!passage) continue;
    out.push({ documentId: doc.id, passageId: passage.id, text: s.text, start: s.start, end: s.end, index: out.length });
  }
  return out;
}

/** Builds the briefing (mode `extractive`). Stories with more sources come first. */
export function buildBriefing(input: BriefingInput): Briefing {
  const docs = input.documents;
  const sentences = docs.map((d) => usableSentences(d, input.passagesOf(d.id)));
  const profiles: DocumentProfile[] = docs.map((d, i) => profileDocument(d.id, realTitle(d) ?? '', sentences[i]!));
  const stories: Story[] = [];
  for (const group of groupStories(profiles)) {
    const members = group.members
      .map((i, k) => ({ doc: docs[i]!, sentences: sentences[i]!, profile: profiles[i]!, centrality: group.centrality[k]! }))
      .filter((m) => m.sentences.length > 0);
    if (members.length) stories.push(buildStory(members));
  }
  stories.sort((a, b) => b.sources.length - a.sources.length || b.documentIds.length - a.documentIds.length);
  return {
    generatedAt: (input.now ?? new Date()).toISOString(),
    stories,
    documents: { included: docs.length, skipped: input.skipped },
    mode: 'extractive',
  };
}

interface Member {
  doc: Document;
  sentences: DocSentence[];
  profile: DocumentProfile;
  /** Mean similarity to the story's other documents. */
  centrality: number;
}

function buildStory(members: Member[]): Story {
  // The headline comes from the most central document, preferring one with a real title on ties.
  const top = members[0]!.centrality;
  const lead = members.find((m) => m.centrality >= top - 1e-9 && realTitle(m.doc)) ?? members[0]!;
  const citations: Citation[] = [];
  const cite = (s: DocSentence): number => {
    const existing = citations.find((c) => c.passageId === s.passageId && c.quote === s.text);
    if (existing) return existing.n;
    const doc = members.find((m) => m.doc.id === s.documentId)!.doc;
    const c: Citation = { n: citations.length + 1, passageId: s.passageId, documentId: doc.id, title: doc.title, source: doc.source, quote: s.text };
    if (doc.url) c.url = doc.url;
    citations.push(c);
    return c.n;
  };
  const chosen = chooseSummary(members, lead);
  const summary = chosen.map((s) => `${s.text} [${cite(s)}]`).join(' ');
  const findings = findDisagreements(members.map((m) => ({ documentId: m.doc.id, source: m.doc.source, sentences: m.sentences })));
  const disagreements = findings.map((f) => ({
    about: f.about,
    citations: f.sides.map((side) => citations[cite(side.sentence) - 1]!),
  }));
  const headline = realTitle(lead.doc) ?? headlineFromSentence(lead.sentences[0]!.text);
  return {
    headline,
    summary,
    citations,
    documentIds: members.map((m) => m.doc.id),
    sources: [...new Set(members.map((m) => m.doc.source))],
    disagreements,
  };
}

/**
 * Picks 2–4 summary sentences: the lead document's best opening sentence first, then the sentences
 * closest to the story's centroid, skipping near-duplicates (maximal marginal relevance) and
 * preferring sources not yet quoted. Returned in selection order.
 */
function chooseSummary(members: Member[], lead: Member): DocSentence[] {
  const centroid = new Map<string, number>();
  for (const m of members) for (const [t, c] of m.profile.terms) centroid.set(t, (centroid.get(t) ?? 0) + c / members.length);
  const candidates = members.flatMap((m) =>
    m.sentences
      .filter((s) => {
        const n = wordTokens(s.text).length;
        return n >= MIN_WORDS && n <= MAX_WORDS && !BOILERPLATE.test(s.text) && /^[\p{Lu}\p{N}"“‘'(]/u.test(s.text);
      })
      .map((s) => ({ s, m, terms: new Set(tokenize(s.text)) })),
  );
  if (!candidates.length) return members.flatMap((m) => m.sentences).slice(0, MIN_SUMMARY);
  const relevance = (terms: Set<string>, index: number): number => {
    let score = 0;
    for (const t of terms) score += centroid.get(t) ?? 0;
    const position = 1 / (1 + index * 0.3); // news puts what matters first
    return (score / Math.sqrt(terms.size + 1)) * (0.5 + position);
  };
  const scored = candidates.map((c) => ({ ...c, score: relevance(c.terms, c.s.index) }));
  const maxScore = Math.max(...scored.map((c) => c.score)) || 1;
  // Three sentences, four when three or more reports carry the story (fewer only if fewer are usable).
  const target = members.length >= 3 ? MAX_SUMMARY : MIN_SUMMARY + 1;
  const chosen: typeof scored = [];
  const leadFirst = scored.filter((c) => c.m === lead).sort((a, b) => b.score - a.score || a.s.index - b.s.index)[0];
  if (leadFirst) chosen.push(leadFirst);
  while (chosen.length < Math.min(target, scored.length)) {
    const quoted = new Set(chosen.map((c) => c.m.doc.source));
    let best: (typeof scored)[number] | undefined;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (const c of scored) {
      if (chosen.includes(c)) continue;
      const redundancy = Math.max(0, ...chosen.map((d) => overlap(c.terms, d.terms)));
      if (redundancy > 0.6) continue;
      const value = c.score / maxScore - 0.7 * redundancy + (quoted.has(c.m.doc.source) ? 0 : 0.25);
      if (value > bestValue) {
        bestValue = value;
        best = c;
      }
    }
    if (!best) break;
    chosen.push(best);
  }
  return chosen.map((c) => c.s);
}

function overlap(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / Math.max(1, Math.min(a.size, b.size));
}

/**
 * The document's title when it is a real headline: not a file name standing in for a missing title,
 * and not the lead sentence reused as a title (a loader's `.txt` first line, often cut with "…").
 */
export function realTitle(doc: Document): string | undefined {
  const title = doc.title.replace(/\s+/g, ' ').trim();
  const base = doc.id.split('/').at(-1) ?? doc.id;
  const stem = base.replace(/\.[^.]+$/, '');
  if (!title || title === base || title === stem || /\.(md|markdown|txt|html?)$/i.test(title)) return undefined;
  const bare = title.replace(/(?:…|\.\.\.)$/, '').trim();
  const firstParagraph = doc.text.trimStart().split(/\n\s*\n/, 1)[0]!.replace(/\s+/g, ' ');
  const isLead = firstParagraph.startsWith(bare) && /[.!?]["”’)]?$/.test(firstParagraph) && firstParagraph.split(' ').length > 12;
  if (isLead || bare.length > 150) return undefined;
  return cleanHeadline(title);
}

/** Trims a title: white space, a trailing " | Site" or " - Site" suffix, a final period. */
export function cleanHeadline(text: string): string {
  let t = text.replace(/\s+/g, ' ').trim();
  t = t.replace(/\s+[|–—-]\s+[^|–—-]{2,40}$/, (m) => (m.split(/\s+/).length <= 5 ? '' : m));
  return t.replace(/[.\s]+$/, '');
}

/** A headline from a lead sentence: cleaned, cut at a word boundary to about 110 characters. */
export function headlineFromSentence(sentence: string): string {
  const t = cleanHeadline(sentence);
  if (t.length <= 110) return t;
  const cut = t.slice(0, 110);
  const at = cut.lastIndexOf(' ');
  return `${(at > 60 ? cut.slice(0, at) : cut).replace(/[,;:\s]+$/, '')}…`;
}
