/**
 * Verification of a model's citation markers against the passages it was given. A marker survives only
 * if it names a supplied passage; survivors are renumbered 1..k in order of first appearance, and each
 * citation quotes the passage sentence(s) that best match the claims carrying its marker.
 */
import { splitSentences } from './sentences.ts';
import { tokenize } from './tokenizer.ts';
import type { Citation, Passage, ScoredPassage } from './types.ts';

/** Document facts a citation shows but a passage lacks; `undefined` for an unknown id. */
export type DescribeDocument = (documentId: string) => { title: string; source: string; url?: string } | undefined;

/** Result of {@link verifyCitations}. */
export interface VerifiedCitations {
  /** The markdown with only valid markers, renumbered `[1]..[k]`, mass mentions defused. */
  markdown: string;
  /** `citations[n - 1]` resolves marker `[n]`. */
  citations: Citation[];
  /** Marker numbers (as the model wrote them) that named no supplied passage, in order, repeats kept. */
  removed: number[];
  /** Share of the answer's sentences (with at least one word) that carry a valid marker; 0..1. */
  coverage: number;
  /** Share of citations whose claim shares at least one content term with the cited passage; 0..1. */
  grounded: number;
}

/** A marker group: `[1]`, `[1, 3]` or `[1,2,3]`. */
const MARKER_GROUP = /\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]/g;

/** Longest quote kept per citation, in sentences. */
const MAX_QUOTE_SENTENCES = 3;

/**
 * Keeps only `[n]` markers that refer to supplied passages (1..supplied.length), renumbers them 1..k in
 * order of first appearance, and builds the citations (quote = for each claim carrying the marker, the
 * passage sentence overlapping it most; at most 3 sentences, in passage order). Groups like `[1, 2]`
 * become `[1][2]`; repeats of a marker in one group collapse. `describe` supplies title/source/url;
 * without it (or for an unknown document) the passage title and document id are used.
 */
export function verifyCitations(
  markdown: string,
  supplied: readonly Passage[] | readonly ScoredPassage[],
  describe?: DescribeDocument,
): VerifiedCitations {
  const passages = supplied.map((p) => ('passage' in p ? p.passage : p));
  const text = defuseMentions(markdown);
  const removed: number[] = [];
  const order: number[] = []; // original passage index (0-based) by new number - 1
  const claims = new Map<number, string[]>(); // new number -> claims
  let out = '';
  let last = 0;
  for (const match of text.matchAll(MARKER_GROUP)) {
    const at = match.index;
    const kept: number[] = [];
    for (const raw of (match[1] ?? '').split(',')) {
      const n = Number(raw.trim());
      if (!Number.isInteger(n) || n < 1 || n > passages.length) {
        removed.push(n);
        continue;
      }
      let m = order.indexOf(n - 1) + 1;
      if (m === 0) {
        order.push(n - 1);
        m = order.length;
      }
      if (!kept.includes(m)) kept.push(m);
    }
    let before = text.slice(last, at);
    if (kept.length === 0) before = before.replace(/[ \t]+$/, '');
    out += before + kept.map((m) => `[${m}]`).join('');
    last = at + match[0].length;
    const claim = claimBefore(text, at);
    for (const m of kept) {
      const list = claims.get(m) ?? [];
      list.push(claim);
      claims.set(m, list);
    }
  }
  out += text.slice(last);

  let groundedCount = 0;
  const citations = order.map((index, i): Citation => {
    const passage = passages[index]!;
    const { quote, overlap } = bestQuote(passage, claims.get(i + 1) ?? []);
    if (overlap) groundedCount++;
    const doc = describe?.(passage.documentId);
    return {
      n: i + 1,
      passageId: passage.id,
      documentId: passage.documentId,
      title: doc?.title ?? passage.title,
      source: doc?.source ?? passage.documentId,
      ...(doc?.url ? { url: doc.url } : {}),
      quote,
    };
  });
  return {
    markdown: out.trim(),
    citations,
    removed,
    coverage: markerCoverage(out),
    grounded: citations.length ? groundedCount / citations.length : 0,
  };
}

/** Replaces `@everyone`, `@here`, `<!channel>`, `<!here>`, `<!everyone>` with inert look-alikes. */
export function defuseMentions(text: string): string {
  return text
    .replace(/@(everyone|here|channel)\b/gi, '@\u200b$1')
    .replace(/<!(channel|here|everyone)(\|[^>]*)?>/gi, '@\u200b$1');
}

/** The words of the claim a marker at `at` closes: back to the previous sentence end or line break. */
function claimBefore(text: string, at: number): string {
  let q = at;
  // Step back over white space, punctuation and other markers directly before this marker.
  for (;;) {
    const before = text.slice(0, q);
    const trimmed = before.replace(/(?:\s|[.!?;:,"'”’)]|\[\d{1,4}(?:\s*,\s*\d{1,4})*\])+$/, '');
    if (trimmed.length === before.length) break;
    q = trimmed.length;
  }
  const head = text.slice(0, q);
  const boundary = Math.max(head.search(/[^.!?\n]*$/), 0);
  let claim = head.slice(boundary).replace(MARKER_GROUP, ' ');
  if (!claim.trim()) {
    // A marker that opens a line or sentence cites what follows it.
    const tail = text.slice(at).replace(MARKER_GROUP, ' ');
    claim = tail.slice(0, Math.max(tail.search(/[.!?\n]/), 0) || tail.length);
  }
  return claim.trim();
}

/** The passage sentences that best match the claims, and whether any claim overlapped at all. */
function bestQuote(passage: Passage, claimTexts: readonly string[]): { quote: string; overlap: boolean } {
  const sentences = splitSentences(passage.text);
  if (sentences.length === 0) return { quote: passage.text.trim(), overlap: false };
  const sentenceTerms = sentences.map((s) => new Set(tokenize(s.text)));
  const chosen = new Set<number>();
  let overlap = false;
  for (const claim of claimTexts) {
    const terms = new Set(tokenize(claim));
    let best = -1;
    let bestScore = 0;
    sentenceTerms.forEach((set, i) => {
      let shared = 0;
      for (const t of terms) if (set.has(t)) shared++;
      // Prefer the sentence covering more of the claim; break ties towards shorter sentences.
      const score = shared === 0 ? 0 : shared + shared / (set.size + 1);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    if (best >= 0) {
      chosen.add(best);
      overlap = true;
    }
  }
  if (chosen.size === 0) chosen.add(0);
  const picked = [...chosen].sort((a, b) => a - b).slice(0, MAX_QUOTE_SENTENCES);
  return { quote: picked.map((i) => sentences[i]!.text).join(' '), overlap };
}

/** Share of sentences with words that carry at least one marker. */
function markerCoverage(markdown: string): number {
  const sentences = splitSentences(markdown.replace(/\](?=\s+\p{Lu})/gu, '].')).filter((s) => /[\p{L}\p{N}]{2,}/u.test(s.text.replace(MARKER_GROUP, '')));
  if (sentences.length === 0) return 0;
  const cited = sentences.filter((s) => /\[\d{1,4}\]/.test(s.text)).length;
  return cited / sentences.length;
}
