import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/core/chunker.ts';
import { questionTerms } from '../../src/core/extract.ts';
import { createExtractiveAnswerer, NOT_FOUND_TEXT } from '../../src/core/extractive-answerer.ts';
import { findFurniture } from '../../src/core/furniture.ts';
import { createLexicalIndex } from '../../src/core/lexical-index.ts';
import type { Document, ScoredPassage } from '../../src/core/types.ts';

const text = [
  'The city council met on Tuesday to vote on the harbour budget.',
  'The budget for the harbour was approved with 7 votes to 2. Dredging will start in May.',
  'A crane unloads containers at the harbour on Tuesday. Ana Silva / Harbour Photos',
  'Residents asked about noise from night shifts. The mayor promised a review by autumn.',
].join('\n\n');
const document: Document = { id: 'council.md', title: 'Council approves harbour budget', source: 'City Gazette', url: 'https://gazette.example/c', text, hash: 'x' };
document.furniture = findFurniture(text);
const passages = chunkDocument(document, { targetChars: 120 });
const index = createLexicalIndex();
index.setDocument(document.id, passages);
const answerer = createExtractiveAnswerer({ describe: () => document, weight: (t) => index.termWeight(t) });

/** Ranks passages by how many question words they share (a stand-in for the retriever). */
function ranked(question: string): ScoredPassage[] {
  const q = question.toLowerCase().split(/\W+/).filter((w) => w.length > 3);
  return passages
    .map((passage) => ({ passage, score: q.filter((w) => passage.text.toLowerCase().includes(w)).length }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
}

describe('extractive answerer', () => {
  it('answers with the best sentence and a citation that quotes it', () => {
    const answer = answerer.answer('How many votes approved the harbour budget?', ranked('How many votes approved the harbour budget?'));
    expect(answer.found).toBe(true);
    expect(answer.mode).toBe('extractive');
    expect(answer.markdown).toContain('7 votes to 2');
    const first = answer.citations[0]!;
    expect(first).toMatchObject({ n: 1, documentId: 'council.md', title: 'Council approves harbour budget', source: 'City Gazette', url: 'https://gazette.example/c' });
    expect(first.quote).toContain('7 votes to 2');
    expect(passages.find((p) => p.id === first.passageId)!.text).toContain(first.quote.split(' Dredging')[0]!);
  });

  it('resolves every [n] marker to citations[n-1] and uses at most two sentences', () => {
    for (const q of ['When will dredging start?', 'What did residents ask about?', 'What did the mayor promise?']) {
      const answer = answerer.answer(q, ranked(q));
      const markers = [...answer.markdown.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      expect(markers.length).toBeGreaterThan(0);
      expect(markers.length).toBeLessThanOrEqual(2);
      for (const n of markers) expect(answer.citations[n - 1]?.n).toBe(n);
      for (const c of answer.citations) expect(answer.markdown).toContain(`[${c.n}]`);
    }
  });

  it('never quotes page furniture', () => {
    const q = 'Who took the photo of the crane unloading containers at the harbour?';
    const answer = answerer.answer(q, ranked(q));
    expect(answer.markdown).not.toContain('Ana Silva');
    for (const c of answer.citations) expect(c.quote).not.toContain('Harbour Photos');
  });

  it('says plainly when the documents do not hold the answer, with the closest passages', () => {
    const q = 'What is the population of the harbour district in 1850?';
    const answer = answerer.answer(q, ranked(q));
    expect(answer.found).toBe(false);
    expect(answer.confidence).toBe('low');
    expect(answer.markdown.startsWith(NOT_FOUND_TEXT)).toBe(true);
    expect(answer.citations.length).toBeGreaterThan(0);
    const none = answerer.answer('Completely unrelated astronomy?', []);
    expect(none.found).toBe(false);
    expect(none.citations).toEqual([]);
  });

  it('does not count the words of "how many"/"how much" as content a good answer must contain', () => {
    expect(questionTerms('How many votes were cast, and how much did it cost?')).toEqual(['vote', 'cast', 'cost']);
    expect(questionTerms('Were many votes cast?')).toContain('mani');
  });

  it('rates confidence from the evidence', () => {
    const strong = answerer.answer('When will dredging start?', ranked('When will dredging start?'));
    expect(['high', 'medium']).toContain(strong.confidence);
  });
});
