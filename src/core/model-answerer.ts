/**
 * Answers written by a language model from retrieved passages, checked before they are shown: unknown
 * citation markers are removed, an answer citing nothing is replaced by the offline (extractive) answer,
 * and any model failure degrades to that answer with a short note. Never throws.
 */
import type { Logger } from '../logger.ts';
import { type DescribeDocument, verifyCitations } from './citations.ts';
import type { LanguageModel } from './model.ts';
import { buildAnswerPrompt, NOT_FOUND_SENTINEL, type Prompts } from './prompts.ts';
import { tokenize } from './tokenizer.ts';
import type { Answer, Confidence, Passage, ScoredPassage } from './types.ts';

/** Note on an answer produced offline because the model failed. */
export const NOTE_MODEL_UNAVAILABLE = 'The language model was unavailable, so this is an extractive answer.';
/** Note on an answer produced offline because the model's answer cited no supplied passage. */
export const NOTE_MODEL_UNSUPPORTED = "The language model's answer cited none of the documents, so this is an extractive answer.";
/** What a model answer says when the documents lack the answer. */
export const NOT_FOUND_MARKDOWN = "I couldn't find the answer to that in the documents.";

export interface ModelAnswererOptions {
  model: LanguageModel;
  prompts: Prompts;
  /** Budget for passage text in the prompt, in characters (`MODEL_MAX_CONTEXT_CHARS`). */
  maxContextChars: number;
  logger: Logger;
  /** The offline answer for the same question and passages, used on any failure. */
  fallback: (question: string, passages: ScoredPassage[]) => Answer;
  /** Title/source/url of a document, for citations; default the passage title and document id. */
  describe?: DescribeDocument;
}

/** Options for one {@link ModelAnswerer.answer} call. */
export interface ModelAnswerOptions {
  /** Called with the whole (marker-checked) markdown so far while the model streams; callers throttle. */
  onPartial?: (markdownSoFar: string) => void;
  /** Cancels the model call; the fallback answer is returned. */
  signal?: AbortSignal;
  /** Earlier questions in the conversation, oldest first (sent as data, for context). */
  history?: string[];
}

export interface ModelAnswerer {
  /**
   * Answers from `passages` (best first). Streams when `onPartial` is given and the model can stream.
   * Resolves to a verified `mode: 'llm'` answer, a `found: false` answer when the model says the passages
   * lack the answer, or the fallback answer with a note. Never rejects.
   */
  answer(question: string, passages: ScoredPassage[], options?: ModelAnswerOptions): Promise<Answer>;
}

/** Creates the model-backed answerer. */
export function createModelAnswerer(o: ModelAnswererOptions): ModelAnswerer {
  const { model, prompts, logger } = o;

  const fallback = (question: string, passages: ScoredPassage[], note: string | undefined): Answer => {
    try {
      const answer = o.fallback(question, passages);
      return note ? { ...answer, note } : answer;
    } catch (error) {
      logger.error({ err: error }, 'extractive fallback failed');
      return { question, markdown: NOT_FOUND_MARKDOWN, citations: [], found: false, mode: 'extractive', confidence: 'low', ...(note ? { note } : {}) };
    }
  };

  return {
    async answer(question, passages, options = {}) {
      if (passages.length === 0) return fallback(question, passages, undefined);
      const started = Date.now();
      try {
        const built = buildAnswerPrompt({
          question,
          passages: passages.map((p) => p.passage),
          maxChars: o.maxContextChars,
          history: options.history,
          describe: o.describe,
        });
        const request = { system: prompts.answer, prompt: built.prompt, signal: options.signal };
        let text: string;
        if (options.onPartial && model.stream) {
          text = await streamText(model.stream(request), built.included, options.onPartial, logger);
        } else {
          text = (await model.generate(request)).text;
        }
        const cleaned = stripWrapping(text);
        if (cleaned.includes(NOT_FOUND_SENTINEL)) {
          logger.info({ model: model.modelId, ms: Date.now() - started }, 'model answer: not in documents');
          return { question, markdown: NOT_FOUND_MARKDOWN, citations: [], found: false, mode: 'llm', confidence: 'low' };
        }
        const verified = verifyCitations(cleaned, built.included, o.describe);
        if (verified.removed.length) {
          logger.warn({ removed: verified.removed, supplied: built.included.length }, 'model answer cited passages it was not given; markers removed');
        }
        if (verified.citations.length === 0 || !verified.markdown) {
          logger.warn({ model: model.modelId }, 'model answer is unsupported (no valid citation); using the extractive answer');
          return fallback(question, passages, NOTE_MODEL_UNSUPPORTED);
        }
        const confidence = answerConfidence(question, verified, built.included);
        logger.info(
          { model: model.modelId, ms: Date.now() - started, citations: verified.citations.length, coverage: verified.coverage, confidence },
          'model answer',
        );
        return { question, markdown: verified.markdown, citations: verified.citations, found: true, mode: 'llm', confidence };
      } catch (error) {
        logger.warn({ err: error, model: model.modelId, ms: Date.now() - started }, 'model answer failed; using the extractive answer');
        return fallback(question, passages, NOTE_MODEL_UNAVAILABLE);
      }
    },
  };
}

/** Collects a stream, reporting the checked markdown so far after each delta (never the sentinel). */
async function streamText(
  stream: AsyncIterable<string>,
  included: readonly Passage[],
  onPartial: (markdown: string) => void,
  logger: Logger,
): Promise<string> {
  let text = '';
  let lastShown = '';
  for await (const delta of stream) {
    text += delta;
    const shown = partialMarkdown(text, included);
    if (shown && shown !== lastShown) {
      lastShown = shown;
      try {
        onPartial(shown);
      } catch (error) {
        logger.warn({ err: error }, 'onPartial callback failed');
      }
    }
  }
  return text;
}

/** The part of a streaming answer fit to show: empty while it may still be the sentinel. */
function partialMarkdown(text: string, included: readonly Passage[]): string {
  const cleaned = stripWrapping(text);
  if (!cleaned || NOT_FOUND_SENTINEL.startsWith(cleaned.slice(0, NOT_FOUND_SENTINEL.length)) || cleaned.includes(NOT_FOUND_SENTINEL)) {
    return '';
  }
  return verifyCitations(cleaned, included).markdown;
}

/** Removes a code fence or quotes the model may wrap its answer in. */
function stripWrapping(text: string): string {
  let t = text.trim();
  const fence = /^```[\w-]*\n([\s\S]*?)\n?```$/.exec(t);
  if (fence) t = (fence[1] ?? '').trim();
  return t;
}

/**
 * Confidence from citation coverage (share of sentences carrying a valid marker), grounding (share of
 * citations whose claim shares a term with the passage) and retrieval evidence (share of the question's
 * content terms found in the cited passages): high when all are strong (≥ 0.75, ≥ 0.75, ≥ 0.6), low when
 * any is weak (< 0.4, < 0.5, < 0.3), medium otherwise.
 */
export function answerConfidence(
  question: string,
  verified: { coverage: number; grounded: number; citations: { passageId: string }[] },
  included: readonly Passage[],
): Confidence {
  const qTerms = new Set(tokenize(question));
  const cited = new Set(verified.citations.map((c) => c.passageId));
  const citedTerms = new Set(included.filter((p) => cited.has(p.id)).flatMap((p) => tokenize(`${p.title} ${p.text}`)));
  let found = 0;
  for (const t of qTerms) if (citedTerms.has(t)) found++;
  const evidence = qTerms.size ? found / qTerms.size : 0;
  if (verified.coverage < 0.4 || verified.grounded < 0.5 || evidence < 0.3) return 'low';
  if (verified.coverage >= 0.75 && verified.grounded >= 0.75 && evidence >= 0.6) return 'high';
  return 'medium';
}
