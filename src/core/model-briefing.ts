/**
 * Rewrites one offline briefing story with the language model: headline, a 2–4 sentence cited summary
 * and disagreements, parsed defensively from JSON and verified like answers. Any failure keeps the
 * offline story. Never throws.
 */
import type { Logger } from '../logger.ts';
import { type DescribeDocument, defuseMentions, verifyCitations } from './citations.ts';
import type { LanguageModel } from './model.ts';
import { buildBriefingPrompt, type Prompts, trimAtWord } from './prompts.ts';
import { splitSentences } from './sentences.ts';
import type { Citation, Disagreement, Passage, Story } from './types.ts';

export interface ModelBriefingOptions {
  model: LanguageModel;
  prompts: Prompts;
  /** Budget for passage text in the prompt, in characters (`MODEL_MAX_CONTEXT_CHARS`). */
  maxContextChars: number;
  logger: Logger;
  /** Title/source/url of a document, for citations; default the passage title and document id. */
  describe?: DescribeDocument;
}

export interface ModelBriefingWriter {
  /**
   * `story`: the offline story; `passages`: the passages of the story's documents, most important first.
   * Returns the model-written story (same `documentIds` and `sources`), or the offline story unchanged
   * (with a log line) when the model fails or its output fails verification. Never rejects.
   */
  rewrite(story: Story, passages: Passage[], signal?: AbortSignal): Promise<Story>;
}

/** Longest headline kept, in characters (Slack headers allow 150). */
const MAX_HEADLINE_CHARS = 140;
/** Most summary sentences kept. */
const MAX_SUMMARY_SENTENCES = 4;
/** Most disagreements kept per story. */
const MAX_DISAGREEMENTS = 3;

/** Creates the model-backed story writer. */
export function createModelBriefingWriter(o: ModelBriefingOptions): ModelBriefingWriter {
  const { model, prompts, logger } = o;
  return {
    async rewrite(story, passages, signal) {
      if (passages.length === 0) return story;
      const started = Date.now();
      try {
        const built = buildBriefingPrompt({
          draftHeadline: story.headline,
          passages: interleaveByDocument(passages),
          maxChars: o.maxContextChars,
          describe: o.describe,
        });
        const { text } = await model.generate({ system: prompts.briefing, prompt: built.prompt, signal });
        const parsed = parseStoryJson(text);
        if (!parsed) {
          logger.warn({ model: model.modelId, headline: story.headline }, 'model briefing output was not the expected JSON; keeping the offline story');
          return story;
        }
        const summary = firstSentences(parsed.summary, MAX_SUMMARY_SENTENCES);
        const verified = verifyCitations(summary, built.included, o.describe);
        if (verified.removed.length) {
          logger.warn({ removed: verified.removed, supplied: built.included.length }, 'model briefing cited passages it was not given; markers removed');
        }
        if (verified.citations.length === 0) {
          logger.warn({ model: model.modelId, headline: story.headline }, 'model briefing summary cites no passage; keeping the offline story');
          return story;
        }
        const citations = [...verified.citations];
        const disagreements = parsed.disagreements
          .map((d) => verifyDisagreement(d, built.included, citations, o.describe))
          .filter((d): d is Disagreement => d !== undefined)
          .slice(0, MAX_DISAGREEMENTS);
        const headline = clean(parsed.headline).replace(/\[\d{1,4}(?:\s*,\s*\d{1,4})*\]/g, '').trim();
        logger.info(
          { model: model.modelId, ms: Date.now() - started, citations: citations.length, disagreements: disagreements.length },
          'model briefing story',
        );
        return {
          ...story,
          headline: headline ? trimAtWord(headline, MAX_HEADLINE_CHARS) : story.headline,
          summary: verified.markdown,
          citations,
          disagreements,
        };
      } catch (error) {
        logger.warn({ err: error, model: model.modelId, headline: story.headline }, 'model briefing failed; keeping the offline story');
        return story;
      }
    },
  };
}

/** The fields a model story reply must have; anything else is ignored. */
interface RawStory {
  headline: string;
  summary: string;
  disagreements: { about: string; citations: number[] }[];
}

/**
 * Parses the model's JSON reply, tolerating a code fence or prose around the object. Returns undefined
 * when there is no object with a non-empty string `summary`. Disagreements with a missing `about` or
 * non-numeric citations are dropped; markers written in `about` (e.g. "[1] vs [2]") count as citations.
 */
export function parseStoryJson(text: string): RawStory | undefined {
  const open = text.indexOf('{');
  const close = text.lastIndexOf('}');
  if (open < 0 || close <= open) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(open, close + 1));
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.summary !== 'string' || !v.summary.trim()) return undefined;
  const disagreements: RawStory['disagreements'] = [];
  for (const item of Array.isArray(v.disagreements) ? v.disagreements : []) {
    if (!item || typeof item !== 'object') continue;
    const d = item as Record<string, unknown>;
    if (typeof d.about !== 'string' || !d.about.trim()) continue;
    const fromList = Array.isArray(d.citations) ? d.citations : [];
    const fromText = [...d.about.matchAll(/\[(\d{1,4})\]/g)].map((m) => Number(m[1]));
    const numbers = [...fromList, ...fromText].map((n) => (typeof n === 'string' ? Number(n.replace(/\D/g, '')) : n));
    disagreements.push({
      about: d.about.replace(/\s*\[\d{1,4}\]/g, '').trim(),
      citations: numbers.filter((n): n is number => typeof n === 'number' && Number.isInteger(n)),
    });
  }
  return { headline: typeof v.headline === 'string' ? v.headline : '', summary: v.summary, disagreements };
}

/**
 * Keeps a disagreement only when it cites ≥ 2 supplied passages from different documents. Its citations
 * reuse the story's numbers for passages the summary already cites; others are appended to `citations`
 * (so every `n` still resolves to `citations[n - 1]`). Quotes are the passage sentences matching `about`.
 */
function verifyDisagreement(
  raw: RawStory['disagreements'][number],
  included: readonly Passage[],
  citations: Citation[],
  describe: DescribeDocument | undefined,
): Disagreement | undefined {
  const valid = [...new Set(raw.citations)].filter((n) => n >= 1 && n <= included.length);
  const perDocument = new Map<string, number>();
  for (const n of valid) {
    const doc = included[n - 1]!.documentId;
    if (!perDocument.has(doc)) perDocument.set(doc, n);
  }
  if (perDocument.size < 2) return undefined;
  const about = clean(raw.about);
  if (!about) return undefined;
  const cited: Citation[] = [];
  for (const n of perDocument.values()) {
    const passage = included[n - 1]!;
    // Quote the passage sentence matching what differs (verifyCitations picks it from the claim).
    const one = verifyCitations(`${about} [1]`, [passage], describe).citations[0]!;
    const existing = citations.find((c) => c.passageId === passage.id);
    if (existing) {
      cited.push({ ...existing, quote: one.quote });
    } else {
      const added = { ...one, n: citations.length + 1 };
      citations.push(added);
      cited.push(added);
    }
  }
  return { about: trimAtWord(about, 200), citations: cited };
}

/** Round-robin over documents, keeping each document's order, so a trimmed prompt still spans sources. */
export function interleaveByDocument(passages: readonly Passage[]): Passage[] {
  const groups = new Map<string, Passage[]>();
  for (const p of passages) {
    const list = groups.get(p.documentId) ?? [];
    list.push(p);
    groups.set(p.documentId, list);
  }
  const out: Passage[] = [];
  for (let i = 0; out.length < passages.length; i++) {
    for (const list of groups.values()) if (list[i]) out.push(list[i]!);
  }
  return out;
}

function firstSentences(text: string, max: number): string {
  const spans = splitSentences(text.replace(/\s+/g, ' ').trim());
  return spans.slice(0, max).map((s) => s.text).join(' ');
}

function clean(text: string): string {
  return defuseMentions(text.replace(/\s+/g, ' ').trim());
}
