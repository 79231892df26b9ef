/**
 * Prompt files and the user prompts built from untrusted text. The system prompt (the rules) is the
 * file's content, byte for byte; questions, history and passages only ever go into the user prompt, as
 * numbered, delimited blocks whose delimiters cannot be forged from inside.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BriefbotError } from '../errors.ts';
import type { DescribeDocument } from './citations.ts';
import type { Passage } from './types.ts';

/** What the model replies, exactly, when the passages do not contain the answer. Stated in prompts/answer.md. */
export const NOT_FOUND_SENTINEL = 'NOT_IN_DOCUMENTS';

/** The system prompts, loaded once at start. */
export interface Prompts {
  /** prompts/answer.md: rules for cited answers. */
  answer: string;
  /** prompts/briefing.md: rules for one briefing story as JSON. */
  briefing: string;
}

/**
 * Reads `answer.md` and `briefing.md` from `dir`. Rejects with a `BriefbotError` (`CONFIG_INVALID`) naming the
 * file when one is missing or empty, or when the answer prompt no longer states {@link NOT_FOUND_SENTINEL}.
 */
export async function loadPrompts(dir: string): Promise<Prompts> {
  const read = async (name: string): Promise<string> => {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new BriefbotError('CONFIG_INVALID', `The prompt file ${file} could not be read; restore it from the repository.`, { cause });
    }
    if (!text.trim()) throw new BriefbotError('CONFIG_INVALID', `The prompt file ${file} is empty; restore it from the repository.`);
    return text;
  };
  const [answer, briefing] = await Promise.all([read('answer.md'), read('briefing.md')]);
  if (!answer.includes(NOT_FOUND_SENTINEL)) {
    throw new BriefbotError(
      'CONFIG_INVALID',
      `The prompt file ${path.join(dir, 'answer.md')} must tell the model to reply ${NOT_FOUND_SENTINEL} when the documents lack the answer.`,
    );
  }
  return { answer, briefing };
}

/** Tag names our prompts use; look-alikes inside untrusted text are defused. */
const TAG_LOOKALIKE = /<(\s*\/?\s*)(passages?|question|earlier_questions|draft_headline|system|instructions?)\b/gi;

/**
 * Makes untrusted text safe to place between our delimiters: tag look-alikes (`<passage`, `</question`, …)
 * lose their `<` (replaced by `‹`), and bracketed numbers like `[3]` become `(3)` so a document's own
 * footnotes cannot pass for citation markers.
 */
export function neutralise(text: string): string {
  return text.replace(TAG_LOOKALIKE, '‹$1$2').replace(/\[(\d{1,4})\]/g, '($1)');
}

/** Attribute values: one line, no quotes or angle brackets. */
function attr(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/["<>]/g, "'").slice(0, 200);
}

/** A user prompt and the passages it numbers: `[n]` refers to `included[n - 1]`. */
export interface BuiltPrompt {
  prompt: string;
  /** The passages actually sent, in their numbered order (best first); fewer than given when trimmed. */
  included: Passage[];
}

/** Shortest tail worth sending when the next passage does not fit whole. */
const MIN_TRIMMED_CHARS = 200;

/**
 * Numbers passages as `<passage n="…">` blocks, best first, within `maxChars` of passage text (tags
 * included): whole passages are kept while they fit, lower-ranked ones are dropped, and the last kept one
 * may be trimmed at a word boundary (marked `…`). The best passage is always sent, trimmed if need be.
 */
export function passageBlocks(
  passages: readonly Passage[],
  maxChars: number,
  describe?: DescribeDocument,
  withDocument = false,
): { text: string; included: Passage[] } {
  const blocks: string[] = [];
  const included: Passage[] = [];
  let used = 0;
  for (const passage of passages) {
    const n = included.length + 1;
    const doc = describe?.(passage.documentId);
    const open =
      `<passage n="${n}" title="${attr(doc?.title ?? passage.title)}" source="${attr(doc?.source ?? passage.documentId)}"` +
      (withDocument ? ` document="${attr(passage.documentId)}">` : '>');
    const close = '</passage>';
    const body = neutralise(passage.text.trim());
    const room = maxChars - used - open.length - close.length - 2;
    if (body.length <= room) {
      blocks.push(`${open}\n${body}\n${close}`);
      included.push(passage);
      used += open.length + close.length + body.length + 3;
      continue;
    }
    if (room >= MIN_TRIMMED_CHARS || included.length === 0) {
      blocks.push(`${open}\n${trimAtWord(body, Math.max(room, MIN_TRIMMED_CHARS))}\n${close}`);
      included.push(passage);
    }
    break;
  }
  return { text: blocks.join('\n'), included };
}

/** Cuts `text` to at most `max` characters at a word boundary, ending with `…`. */
export function trimAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(1, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Most earlier questions sent, and the longest each may be. */
const HISTORY_ITEMS = 3;
const HISTORY_CHARS = 300;

/** Inputs of {@link buildAnswerPrompt}. */
export interface AnswerPromptInput {
  question: string;
  /** Retrieved passages, best first. */
  passages: readonly Passage[];
  /** Budget for the passage blocks, in characters (`MODEL_MAX_CONTEXT_CHARS`). */
  maxChars: number;
  /** Earlier questions of the conversation, oldest first; the last 3 are sent, each cut to 300 chars. */
  history?: readonly string[];
  describe?: DescribeDocument;
}

/** The user prompt for an answer: earlier questions (if any), the passages, then the question, all as data. */
export function buildAnswerPrompt(input: AnswerPromptInput): BuiltPrompt {
  const { text, included } = passageBlocks(input.passages, input.maxChars, input.describe);
  const parts: string[] = [];
  const history = (input.history ?? []).map((q) => q.trim()).filter(Boolean).slice(-HISTORY_ITEMS);
  if (history.length) {
    parts.push(
      '<earlier_questions>',
      ...history.map((q) => `- ${neutralise(trimAtWord(q.replace(/\s+/g, ' '), HISTORY_CHARS))}`),
      '</earlier_questions>',
      '',
    );
  }
  parts.push(
    `Passages (${included.length}):`,
    text,
    '',
    '<question>',
    neutralise(input.question.trim()),
    '</question>',
    '',
    `Answer the question from passages 1 to ${included.length} only, citing them as [n], or reply ${NOT_FOUND_SENTINEL}.`,
  );
  return { prompt: parts.join('\n'), included };
}

/** Inputs of {@link buildBriefingPrompt}. */
export interface BriefingPromptInput {
  /** The offline story's headline, offered as a draft. */
  draftHeadline: string;
  /** Passages of the story's documents, most important first. */
  passages: readonly Passage[];
  maxChars: number;
  describe?: DescribeDocument;
}

/** The user prompt for one briefing story: the draft headline and the numbered passages (with document ids). */
export function buildBriefingPrompt(input: BriefingPromptInput): BuiltPrompt {
  const { text, included } = passageBlocks(input.passages, input.maxChars, input.describe, true);
  const prompt = [
    '<draft_headline>',
    neutralise(input.draftHeadline.replace(/\s+/g, ' ').trim()),
    '</draft_headline>',
    '',
    `Passages (${included.length}):`,
    text,
    '',
    `Reply with the JSON object only, citing passages 1 to ${included.length} as [n].`,
  ].join('\n');
  return { prompt, included };
}
