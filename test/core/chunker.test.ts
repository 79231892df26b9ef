import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/core/chunker.ts';
import { splitSentences } from '../../src/core/sentences.ts';
import type { Document } from '../../src/core/types.ts';

function doc(text: string, id = 'notes/a.md'): Document {
  return { id, title: 'A', source: 'test', text, hash: 'h' };
}

/** Deterministic pseudo-random prose: paragraphs of varied length, abbreviations and numbers included. */
function prose(seed: number, paragraphs: number): string {
  let s = seed;
  const rand = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const words = ['the', 'council', 'voted', 'on', 'Mr.', 'Smith', 'said', '3.5', 'percent', 'U.S.', 'trade', 'port', 'rose', 'in', 'May'];
  const out: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    const sentences: string[] = [];
    for (let k = 0, n = 1 + rand(14); k < n; k++) {
      const len = 4 + rand(30);
      const ws = Array.from({ length: len }, () => words[rand(words.length)]!);
      ws[0] = ws[0]!.charAt(0).toUpperCase() + ws[0]!.slice(1);
      sentences.push(`${ws.join(' ')}.`);
    }
    out.push(sentences.join(' '));
  }
  return out.join('\n\n');
}

describe('chunkDocument', () => {
  it('tiles the text: every character lands in exactly one passage, in order', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const d = doc(prose(seed, 1 + (seed % 12)));
      const passages = chunkDocument(d, { targetChars: 300, maxChars: 500 });
      expect(passages.map((p) => p.text).join('')).toBe(d.text);
      expect(passages[0]!.start).toBe(0);
      expect(passages.at(-1)!.end).toBe(d.text.length);
      passages.forEach((p, i) => {
        expect(p.text).toBe(d.text.slice(p.start, p.end));
        expect(p.id).toBe(`notes/a.md#${i}`);
        expect(p.ordinal).toBe(i);
        if (i > 0) expect(p.start).toBe(passages[i - 1]!.end);
      });
    }
  });

  it('never splits a sentence across passages', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const d = doc(prose(seed * 7, 6));
      const passages = chunkDocument(d, { targetChars: 250, maxChars: 400 });
      const boundaries = passages.slice(1).map((p) => p.start);
      for (const s of splitSentences(d.text)) {
        for (const b of boundaries) expect(b <= s.start || b >= s.end).toBe(true);
      }
    }
  });

  it('merges short paragraphs and splits long ones near the target size', () => {
    const short = Array.from({ length: 10 }, (_, i) => `Short paragraph number ${i}.`).join('\n\n');
    expect(chunkDocument(doc(short), { targetChars: 200 }).length).toBeLessThan(5);
    const long = Array.from({ length: 40 }, (_, i) => `Sentence ${i} talks about the harbour budget.`).join(' ');
    const parts = chunkDocument(doc(long), { targetChars: 300, maxChars: 500 });
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) expect(p.text.trim().length).toBeLessThanOrEqual(300);
  });

  it('is deterministic and gives an empty list for an empty document', () => {
    const d = doc(prose(3, 5));
    expect(chunkDocument(d)).toEqual(chunkDocument(d));
    expect(chunkDocument(doc(''))).toEqual([]);
  });
});
