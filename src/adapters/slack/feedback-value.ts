import type { Answer, Citation } from '../../core/types.ts';

/** Slack's limit on a button `value`. */
export const BUTTON_VALUE_MAX = 2000;

/** What a 👍/👎 button carries about the answer it sits under. */
export interface FeedbackPayload {
  question: string;
  answer: string;
  citations: Citation[];
}

type Packed = { q: string; a: string; c: Array<[number, string, string, string, string, string | null, string]> };

/**
 * Packs the question, answer and citations into a button value of at most `max` characters
 * (default 2000). When everything does not fit, quotes are shortened first, then the answer, then
 * titles and the question; citation numbers, passage and document ids are kept as long as possible.
 */
export function encodeFeedbackValue(answer: Pick<Answer, 'question' | 'markdown' | 'citations'>, max = BUTTON_VALUE_MAX): string {
  const cite = (c: Citation, quote: number, title: number): Packed['c'][number] => [
    c.n, c.passageId, c.documentId, clip(c.title, title), clip(c.source, title), c.url ?? null, clip(c.quote, quote),
  ];
  const attempts: Array<[number, number, number, number]> = [
    // [question chars, answer chars, quote chars, title chars]
    [Infinity, Infinity, Infinity, Infinity],
    [Infinity, Infinity, 200, Infinity],
    [500, 800, 120, 120],
    [300, 400, 60, 60],
    [200, 200, 0, 40],
    [120, 0, 0, 0],
  ];
  for (const [q, a, quote, title] of attempts) {
    const packed: Packed = { q: clip(answer.question, q), a: clip(answer.markdown, a), c: answer.citations.map((c) => cite(c, quote, title)) };
    const value = JSON.stringify(packed);
    if (value.length <= max) return value;
  }
  const packed: Packed = { q: clip(answer.question, 120), a: '', c: [] };
  for (const c of answer.citations) {
    const next = { ...packed, c: [...packed.c, cite(c, 0, 0)] };
    if (JSON.stringify(next).length > max) break;
    packed.c = next.c;
  }
  return JSON.stringify(packed);
}

/** Unpacks a value made by {@link encodeFeedbackValue}; undefined when it is not one. */
export function decodeFeedbackValue(value: string | undefined): FeedbackPayload | undefined {
  if (!value) return undefined;
  try {
    const packed = JSON.parse(value) as Partial<Packed>;
    if (typeof packed.q !== 'string' || typeof packed.a !== 'string' || !Array.isArray(packed.c)) return undefined;
    const citations = packed.c.map(([n, passageId, documentId, title, source, url, quote]) => {
      const citation: Citation = { n, passageId, documentId, title, source, quote };
      if (url) citation.url = url;
      return citation;
    });
    return { question: packed.q, answer: packed.a, citations };
  } catch {
    return undefined;
  }
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 1 ? '' : `${text.slice(0, max - 1)}…`;
}
