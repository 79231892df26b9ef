import { describe, expect, it } from 'vitest';
import { buildBriefing, cleanHeadline, headlineFromSentence, realTitle, usableSentences } from '../../src/core/briefing.ts';
import type { Briefing, Document, Story } from '../../src/core/types.ts';
import { chunk, corpusOf, makeDocument, sampleDocuments } from '../fixtures/corpus/documents.ts';
import { libraryDocuments, loneDocuments } from '../fixtures/corpus/unrelated.ts';

const NOW = new Date('2026-03-09T12:00:00Z');

function brief(documents: Document[], skipped: Array<{ path: string; reason: string }> = []): Briefing {
  return buildBriefing({ ...corpusOf(documents), skipped, now: NOW });
}

/** Every [n] in the summary resolves to citations[n-1], and every citation quote is a sentence of its passage. */
function expectCitationsResolve(story: Story, documents: Document[]): void {
  const markers = [...story.summary.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  expect(markers.length).toBeGreaterThanOrEqual(2);
  for (const n of markers) expect(story.citations[n - 1]?.n).toBe(n);
  for (const [i, c] of story.citations.entries()) expect(c.n).toBe(i + 1);
  for (const c of [...story.citations, ...story.disagreements.flatMap((d) => d.citations)]) {
    const doc = documents.find((d) => d.id === c.documentId)!;
    const passage = chunk(doc).find((p) => p.id === c.passageId)!;
    expect(passage, c.passageId).toBeDefined();
    expect(passage.text).toContain(c.quote);
    expect(story.citations[c.n - 1]).toEqual(c);
  }
}

function furnitureTexts(documents: Document[]): string[] {
  return documents.flatMap((d) => (d.furniture ?? []).map((f) => d.text.slice(f.start, f.end)));
}

describe('buildBriefing on the sample corpus', () => {
  const docs = sampleDocuments();
  const briefing = brief(docs, [{ path: 'broken.pdf', reason: 'unsupported file type .pdf' }]);
  const story = briefing.stories[0]!;

  it('groups both reports into one story with both outlets as sources', () => {
    expect(briefing.stories).toHaveLength(1);
    expect(story.documentIds.sort()).toEqual(['000_766c7e8c6f041d3f.txt', '003_a4df10609060b16f.txt']);
    expect(story.sources).toHaveLength(2);
    expect(story.sources).toContain('NBC News');
  });

  it('writes a 2–4 sentence summary whose every [n] resolves to a quoted sentence of the cited passage', () => {
    const sentences = story.summary.split(/ \[\d+\]/).filter((s) => s.trim());
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(4);
    expectCitationsResolve(story, docs);
    // Quotes from both outlets appear in the summary.
    expect(new Set(story.citations.map((c) => c.source)).size).toBe(2);
  });

  it('flags the disagreement on Antony Blinken’s title and cites one passage per side', () => {
    const d = story.disagreements.find((x) => /Blinken/.test(x.about));
    expect(d).toBeDefined();
    expect(d!.about).toBe('Antony Blinken\'s title: "Secretary of State" (NBC News) vs "Defense Secretary" (003_a4df10609060b16f.txt)');
    expect(d!.citations).toHaveLength(2);
    const [nbc, other] = d!.citations;
    expect(nbc!.documentId).toBe('000_766c7e8c6f041d3f.txt');
    expect(nbc!.quote).toContain('Secretary of State Antony Blinken');
    expect(other!.documentId).toBe('003_a4df10609060b16f.txt');
    expect(other!.quote).toContain('Defense Secretary Antony Blinken');
    // The caption that also names Blinken's title is furniture and must not be the cited side.
    expect(nbc!.quote).not.toContain('Ben Franklin office');
    // No other (false) disagreements on this pair.
    expect(story.disagreements).toHaveLength(1);
    expectCitationsResolve(story, docs);
  });

  it('keeps page furniture out of the headline, summary and quotes', () => {
    expect(story.headline).toBe('Blinken reportedly offers a comprehensive plan to strengthen Afghan peace');
    const shown = [story.headline, story.summary, ...story.citations.map((c) => c.quote)].join('\n');
    for (const f of furnitureTexts(docs)) expect(shown).not.toContain(f);
    for (const bit of ['Download the NBC News app', 'Leave a Reply', 'Your email address', '/ Reuters', 'Getty Images']) {
      expect(shown).not.toContain(bit);
    }
  });

  it('closes with ingestion health and the time it was generated', () => {
    expect(briefing.documents).toEqual({ included: 2, skipped: [{ path: 'broken.pdf', reason: 'unsupported file type .pdf' }] });
    expect(briefing.generatedAt).toBe(NOW.toISOString());
    expect(briefing.mode).toBe('extractive');
  });
});

describe('buildBriefing with unrelated documents added', () => {
  const docs = [...sampleDocuments(), ...libraryDocuments(), ...loneDocuments()];
  const briefing = brief(docs);
  const storyOf = (id: string): Story => briefing.stories.find((s) => s.documentIds.includes(id))!;

  it('gives each unrelated document its own story and keeps same-story reports together', () => {
    expect(briefing.stories).toHaveLength(5);
    expect(storyOf('000_766c7e8c6f041d3f.txt').documentIds).toHaveLength(2);
    expect(storyOf('local/library-gazette.txt').documentIds.sort()).toEqual(['local/library-courier.txt', 'local/library-gazette.txt']);
    for (const id of ['tech/solar-drone.txt', 'world/herat-earthquake.txt', 'food/sourdough.txt']) {
      expect(storyOf(id).documentIds).toEqual([id]);
      expect(storyOf(id).sources).toHaveLength(1);
      expect(storyOf(id).disagreements).toEqual([]);
    }
    // Multi-source stories come first.
    expect(briefing.stories[0]!.sources).toHaveLength(2);
    expect(briefing.stories[1]!.sources).toHaveLength(2);
    for (const s of briefing.stories) expectCitationsResolve(s, docs);
  });

  it('flags the differing cost of the library expansion, with the dollar amounts as written', () => {
    const d = storyOf('local/library-gazette.txt').disagreements;
    expect(d).toHaveLength(1);
    expect(d[0]!.about).toContain('"$4.2 million" (Riverton Gazette)');
    expect(d[0]!.about).toContain('"$4.5 million" (Valley Courier)');
    expect(d[0]!.citations.map((c) => c.source)).toEqual(['Riverton Gazette', 'Valley Courier']);
  });

  it('still finds the sample story’s disagreement with more documents around', () => {
    expect(storyOf('003_a4df10609060b16f.txt').disagreements.map((d) => d.about)).toEqual([
      'Antony Blinken\'s title: "Secretary of State" (NBC News) vs "Defense Secretary" (003_a4df10609060b16f.txt)',
    ]);
  });
});

describe('builder details', () => {
  it('uses the lead sentence, cleaned and shortened, when a document has no real title', () => {
    const [, other] = sampleDocuments();
    const b = brief([other!]);
    expect(b.stories).toHaveLength(1);
    expect(b.stories[0]!.headline.startsWith('The Biden administration has apparently extended a power-sharing deal')).toBe(true);
    expect(b.stories[0]!.headline.length).toBeLessThanOrEqual(111);
    expect(b.stories[0]!.headline.endsWith('…')).toBe(true);
  });

  it('prefers a real headline over a lead sentence a loader reused as the title', () => {
    const [nbc, other] = sampleDocuments();
    const lead = other!.text.split('\n')[0]!;
    const leadTitled = { ...other!, title: `${lead.slice(0, 90)}…` };
    expect(realTitle(leadTitled)).toBeUndefined();
    expect(brief([leadTitled, nbc!]).stories[0]!.headline).toBe('Blinken reportedly offers a comprehensive plan to strengthen Afghan peace');
  });

  it('never quotes sentences inside furniture ranges', () => {
    const [nbc] = sampleDocuments();
    const sentences = usableSentences(nbc!, chunk(nbc!));
    expect(sentences.some((s) => s.text.includes('Caballero-Reynolds'))).toBe(false);
    expect(sentences.some((s) => s.text.startsWith('Download the NBC News app'))).toBe(false);
    expect(sentences.some((s) => s.text === 'Source')).toBe(false);
    for (const s of sentences) expect(nbc!.text.slice(s.start, s.end)).toBe(s.text);
  });

  it('handles an empty batch (nothing new) with zero stories and the health line', () => {
    expect(brief([])).toEqual({ generatedAt: NOW.toISOString(), stories: [], documents: { included: 0, skipped: [] }, mode: 'extractive' });
  });

  it('skips a document whose text is all furniture instead of inventing a story', () => {
    const doc = makeDocument({ id: 'promo.txt', title: 'Promo', source: 'x', text: 'Download the Example app for breaking news' });
    expect(brief([doc]).stories).toEqual([]);
  });

  it('cleans titles: site suffixes, trailing periods, file-name titles', () => {
    expect(cleanHeadline('Council backs plan - Riverton Gazette')).toBe('Council backs plan');
    expect(cleanHeadline('  Big   news today. ')).toBe('Big news today');
    expect(realTitle({ id: 'a/b.txt', title: 'b.txt', source: 's', text: '', hash: '' })).toBeUndefined();
    expect(realTitle({ id: 'a/b.txt', title: 'b', source: 's', text: '', hash: '' })).toBeUndefined();
    expect(headlineFromSentence('Short lead sentence.')).toBe('Short lead sentence');
  });
});
