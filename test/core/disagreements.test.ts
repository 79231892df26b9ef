import { describe, expect, it } from 'vitest';
import { type DisagreementInput, extractFacts, findDisagreements } from '../../src/core/disagreements.ts';
import { splitSentences } from '../../src/core/sentences.ts';

/** A document of `text` from `source`, one passage per sentence (enough for fact finding). */
function doc(source: string, text: string): DisagreementInput {
  const documentId = `${source}.txt`;
  return {
    documentId,
    source,
    sentences: splitSentences(text).map((s, index) => ({ documentId, passageId: `${documentId}#${index}`, text: s.text, start: s.start, end: s.end, index })),
  };
}

describe('findDisagreements: titles', () => {
  it('flags different titles for the same person and cites the stating sentences', () => {
    const found = findDisagreements([
      doc('Alpha', 'Treasury Secretary Maria Lopez met bankers on Monday. Lopez said rates would stay low.'),
      doc('Beta', 'Commerce Secretary Maria Lopez met bankers on Monday to discuss rates.'),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]!.about).toBe('Maria Lopez\'s title: "Treasury Secretary" (Alpha) vs "Commerce Secretary" (Beta)');
    expect(found[0]!.sides.map((s) => s.sentence.text)).toEqual([
      'Treasury Secretary Maria Lopez met bankers on Monday.',
      'Commerce Secretary Maria Lopez met bankers on Monday to discuss rates.',
    ]);
  });

  it('normalises case and word order: "Secretary of Defense" agrees with "Defense Secretary"', () => {
    expect(
      findDisagreements([
        doc('Alpha', 'Secretary of Defense Lloyd Austin visited the base on Friday.'),
        doc('Beta', 'DEFENSE Secretary Lloyd Austin visited the base on Friday.'),
      ]),
    ).toEqual([]);
  });

  it('treats a narrower title as agreeing ("President" vs "Afghan President", "US Special Envoy" vs "Special Envoy")', () => {
    expect(
      findDisagreements([
        doc('Alpha', 'President Ashraf Ghani received the letter. Special Envoy Zalmay Khalilzad travelled to Doha.'),
        doc('Beta', 'Afghan President Ashraf Ghani received the letter. US Special Envoy Zalmay Khalilzad travelled on.'),
      ]),
    ).toEqual([]);
  });

  it('ignores a source that states both values', () => {
    expect(
      findDisagreements([
        doc('Alpha', 'Treasury Secretary Maria Lopez spoke first. Later, Commerce Secretary Maria Lopez spoke again.'),
        doc('Beta', 'Commerce Secretary Maria Lopez met bankers on Monday.'),
      ]),
    ).toEqual([]);
  });

  it('does not compare titles of different people or roles not attached to a name', () => {
    expect(
      findDisagreements([
        doc('Alpha', 'Treasury Secretary Maria Lopez met bankers. The secretary of state was not there.'),
        doc('Beta', 'Commerce Secretary Tom Reyes met bankers. The defense secretary, in a statement, said nothing.'),
      ]),
    ).toEqual([]);
  });

  it('does not read a title across a comma ("its leader, Osama bin Laden")', () => {
    const facts = extractFacts([doc('Alpha', 'The group housed Al Qaeda and its leader, Osama bin Laden, for years.')]);
    expect(facts.filter((f) => f.kind === 'title')).toEqual([]);
  });

  it('needs two sources: disagreements within one outlet are not reported', () => {
    expect(
      findDisagreements([
        doc('Alpha', 'Treasury Secretary Maria Lopez met bankers on Monday.'),
        { ...doc('Alpha', 'Commerce Secretary Maria Lopez met bankers on Monday.'), documentId: 'other.txt' },
      ]),
    ).toEqual([]);
  });
});

describe('findDisagreements: numbers, dates and places', () => {
  it('flags different numbers attached to the same noun phrase', () => {
    const found = findDisagreements([
      doc('Alpha', 'About 2,500 American soldiers remain in the country, officials said.'),
      doc('Beta', 'Some 3,000 American soldiers remain in the country, according to the Pentagon.'),
    ]);
    expect(found.map((f) => f.about)).toEqual(['Figure for "American soldiers remain": "2,500" (Alpha) vs "3,000" (Beta)']);
  });

  it('does not compare numbers about different things, or equal values written differently', () => {
    expect(
      findDisagreements([
        doc('Alpha', 'About 2,300 American soldiers have died since 2001. The plan costs $4 billion in aid.'),
        doc('Beta', 'About 2,500 American soldiers are still deployed today. The plan costs $4,000 million in aid.'),
      ]),
    ).toEqual([]);
  });

  it('leaves out a source that gives two figures for the same thing', () => {
    expect(
      findDisagreements([
        doc('Alpha', 'About 2,300 American soldiers have died, and 2,500 American soldiers have died by other counts.'),
        doc('Beta', 'About 2,400 American soldiers have died in the war.'),
      ]),
    ).toEqual([]);
  });

  it('flags different dates for the same event; a date without the year agrees with a full one', () => {
    const found = findDisagreements([
      doc('Alpha', 'The final withdrawal of troops is set for May 1, 2021 under the deal.'),
      doc('Beta', 'The final withdrawal of troops is set for September 11 under the deal.'),
      doc('Gamma', 'The final withdrawal of troops is set for May 1 under the deal.'),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]!.about).toBe('Date for "final withdrawal of troops": "May 1, 2021" (Alpha) vs "September 11" (Beta)');
    expect(found[0]!.sides).toHaveLength(2);
  });

  it('flags different places for the same event unless a source also mentions the other place', () => {
    const found = findDisagreements([
      doc('Alpha', 'The peace conference will be held in Istanbul next month, officials said.'),
      doc('Beta', 'The peace conference will be held in Ankara next month, diplomats said.'),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]!.about).toBe('Place of "peace conference": "Istanbul" (Alpha) vs "Ankara" (Beta)');
    expect(
      findDisagreements([
        doc('Alpha', 'The peace conference will be held in Istanbul next month, officials said.'),
        doc('Beta', 'The peace conference will be held in Ankara next month, after a first round in Istanbul.'),
      ]),
    ).toEqual([]);
  });

  it('does not treat times, "9/11" or years as quantities', () => {
    const facts = extractFacts([doc('Alpha', 'Updated at 1:40 pm after the 9/11 anniversary in 2021.')]);
    expect(facts.filter((f) => f.kind === 'number')).toEqual([]);
  });
});
