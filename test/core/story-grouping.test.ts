import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/core/sentences.ts';
import { capitalisedRuns, type DocSentence, groupStories, profileDocument, similarityMatrix, wordTokens } from '../../src/core/story-grouping.ts';
import { usableSentences } from '../../src/core/briefing.ts';
import { chunk, sampleDocuments } from '../fixtures/corpus/documents.ts';
import { libraryDocuments, loneDocuments } from '../fixtures/corpus/unrelated.ts';

const sentencesOf = (id: string, text: string): DocSentence[] =>
  splitSentences(text).map((s, index) => ({ documentId: id, passageId: `${id}#0`, text: s.text, start: s.start, end: s.end, index }));

describe('story grouping', () => {
  const docs = [...sampleDocuments(), ...libraryDocuments(), ...loneDocuments()];
  const profiles = docs.map((d) => profileDocument(d.id, d.title, usableSentences(d, chunk(d))));

  it('puts reports of the same event together and everything else alone', () => {
    const groups = groupStories(profiles).map((g) => g.members.map((i) => docs[i]!.id).sort());
    expect(groups).toEqual([
      ['000_766c7e8c6f041d3f.txt', '003_a4df10609060b16f.txt'],
      ['local/library-courier.txt', 'local/library-gazette.txt'],
      ['tech/solar-drone.txt'],
      ['world/herat-earthquake.txt'],
      ['food/sourdough.txt'],
    ]);
  });

  it('scores same-story pairs well above unrelated pairs, even ones sharing a country name', () => {
    const sim = similarityMatrix(profiles);
    const at = (a: string, b: string): number => sim[docs.findIndex((d) => d.id === a)]![docs.findIndex((d) => d.id === b)]!;
    const same = at('000_766c7e8c6f041d3f.txt', '003_a4df10609060b16f.txt');
    const quake = Math.max(at('000_766c7e8c6f041d3f.txt', 'world/herat-earthquake.txt'), at('003_a4df10609060b16f.txt', 'world/herat-earthquake.txt'));
    expect(same).toBeGreaterThan(0.25);
    expect(quake).toBeLessThan(0.2);
    expect(same - quake).toBeGreaterThan(0.15);
  });

  it('does not chain: a document loosely tied to two stories does not merge them', () => {
    const a = profileDocument('a', 'Harbor bridge closes for repairs', sentencesOf('a', 'The Harbor bridge in Portmouth closes for repairs on Monday. Engineers found cracks in the steel cables of the Harbor bridge.'));
    const b = profileDocument('b', 'Portmouth bridge shut', sentencesOf('b', 'Portmouth shut the Harbor bridge after engineers found cracks in its steel cables. The Harbor bridge repairs take months.'));
    const c = profileDocument('c', 'Jazz festival returns', sentencesOf('c', 'The Portmouth jazz festival returns in June with forty bands. Tickets for the jazz festival go on sale Friday.'));
    const d = profileDocument('d', 'Festival tickets sell out', sentencesOf('d', 'Tickets for the Portmouth jazz festival sold out in an hour. The jazz festival features forty bands.'));
    const groups = groupStories([a, b, c, d]).map((g) => g.members.sort());
    expect(groups).toEqual([[0, 1], [2, 3]]);
  });

  it('orders members most central first and reports centrality', () => {
    const groups = groupStories(profiles);
    for (const g of groups) {
      expect(g.centrality).toHaveLength(g.members.length);
      for (let k = 1; k < g.centrality.length; k++) expect(g.centrality[k]!).toBeLessThanOrEqual(g.centrality[k - 1]!);
    }
  });

  it('finds proper-noun runs that break at punctuation and skip a leading article', () => {
    const tokens = wordTokens('The Biden administration met Secretary of State Antony Blinken, Ashraf Ghani and the U.S. envoy.');
    const runs = capitalisedRuns(tokens).map((r) => tokens.slice(r.from, r.to).map((t) => t.text).join(' '));
    expect(runs).toEqual(['Biden', 'Secretary of State Antony Blinken', 'Ashraf Ghani', 'U.S.']);
  });
});
