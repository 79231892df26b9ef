import { paragraphRanges, splitSentences } from './sentences.ts';
import type { Document, Passage } from './types.ts';

export interface ChunkOptions {
  /** Paragraphs are merged into one passage while it stays within this many characters; default 700. */
  targetChars?: number;
  /** A paragraph longer than this is split between sentences; default 1200. A single longer sentence stays whole. */
  maxChars?: number;
}

interface Unit {
  start: number;
  end: number;
}

/**
 * Splits a document into passages. Pure and deterministic: the same text gives the same passages
 * and ids (`documentId#ordinal`).
 *
 * Invariants: passages tile the text in order (the first starts at 0, each starts where the previous
 * ends, the last ends at `text.length`), so every character lands in exactly one passage; a boundary
 * only falls at a paragraph start or, inside a long paragraph, at a sentence start, so no sentence is
 * ever split; `passage.text === document.text.slice(start, end)`.
 */
export function chunkDocument(document: Document, options: ChunkOptions = {}): Passage[] {
  const target = options.targetChars ?? 700;
  const max = options.maxChars ?? 1200;
  const text = document.text;
  if (!text) return [];

  const units: Unit[] = [];
  for (const para of paragraphRanges(text)) {
    if (para.end - para.start <= max) {
      units.push(para);
      continue;
    }
    let group: Unit | undefined;
    for (const s of splitSentences(text, para.start, para.end)) {
      if (group && s.end - group.start > target) {
        units.push(group);
        group = undefined;
      }
      group = group ? { start: group.start, end: s.end } : { start: s.start, end: s.end };
    }
    if (group) units.push(group);
  }

  // Merge consecutive units into passages of about `target` characters.
  const starts: number[] = [];
  let passageStart = -1;
  for (const u of units) {
    if (passageStart === -1 || u.end - passageStart > target) {
      starts.push(u.start);
      passageStart = u.start;
    }
  }
  if (starts.length === 0) starts.push(0);
  starts[0] = 0;

  return starts.map((start, ordinal) => {
    const end = starts[ordinal + 1] ?? text.length;
    return {
      id: `${document.id}#${ordinal}`,
      documentId: document.id,
      ordinal,
      title: document.title,
      text: text.slice(start, end),
      start,
      end,
    };
  });
}
