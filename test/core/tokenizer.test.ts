import { describe, expect, it } from 'vitest';
import { STOP_WORDS, termOf, tokenize, WordTable, words } from '../../src/core/tokenizer.ts';

describe('tokenize', () => {
  it('lower-cases, drops stop words and Porter-stems', () => {
    expect(tokenize('The runners were running quickly to THE stations')).toEqual(['runner', 'run', 'quickli', 'station']);
  });

  it('conflates inflections a question and a document use differently', () => {
    expect(tokenize('installed')).toEqual(tokenize('installing'));
    expect(tokenize('policies')).toEqual(tokenize('policy'));
    expect(tokenize('connection')).toEqual(tokenize('connected'));
  });

  it("drops a possessive 's with either apostrophe and keeps other contractions whole", () => {
    expect(tokenize("Obama's policy")).toEqual(['obama', 'polici']);
    expect(tokenize('Obama’s policy')).toEqual(['obama', 'polici']);
    expect(tokenize("O'Neill’s team")).toEqual(tokenize("O'Neill team"));
    expect(tokenize("won't")).toEqual(["won't"]);
  });

  it('returns nothing for empty, punctuation-only or stop-word-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' ?! -- … ')).toEqual([]);
    expect(tokenize('What is the one of them that was')).toEqual(['on']);
    expect(tokenize('what is it that they were')).toEqual([]);
  });

  it('splits numbers on punctuation and keeps digits', () => {
    expect(tokenize('1,000 people in 1990; 3.5 percent')).toEqual(['1', '000', 'peopl', '1990', '3', '5', 'percent']);
  });

  it('folds accents so queries typed without them still match', () => {
    expect(tokenize('Café résumé naïve')).toEqual(tokenize('cafe resume naive'));
    // Decomposed (NFD) text gives the same terms as composed text.
    expect(tokenize('e\u0301te\u0301')).toEqual(tokenize('été'));
  });

  it('keeps letters of other scripts and characters outside the BMP', () => {
    expect(tokenize('Straße in Москва')).toEqual(['straße', 'москва']);
    expect(tokenize('東京 タワー')).toEqual(['東京', 'タワー']);
    expect(tokenize('𝐀𝐁 𐐀𐐁')).toEqual(['𝐀𝐁', '𐐨𐐩']);
  });
});

describe('words', () => {
  it('keeps stop words and apostrophes, lower-cased, without stemming', () => {
    expect(words("The U.S. didn't say WHY")).toEqual(['the', 'u', 's', "didn't", 'say', 'why']);
  });

  it('joins apostrophe segments of letters, not digits', () => {
    expect(words("rock'n'roll '90s Obama's2")).toEqual(["rock'n'roll", '90s', "obama's", '2']);
  });
});

describe('STOP_WORDS', () => {
  it('holds function words, not content words', () => {
    expect(STOP_WORDS.has('the')).toBe(true);
    expect(STOP_WORDS.has('which')).toBe(true);
    expect(STOP_WORDS.has('bank')).toBe(false);
  });
});

describe('WordTable', () => {
  it('maps each word of a text to the same terms as tokenize, resolving each distinct word once', () => {
    const terms: string[] = [];
    const resolved: string[] = [];
    const table = new WordTable((word) => {
      resolved.push(word);
      const term = termOf(word);
      if (term === '') return -1;
      terms.push(term);
      return terms.length - 1;
    });
    const text = 'The cats chased the Cats’ toys; Café cats, CAFÉ toys. 東京 cats.';
    const seen: string[] = [];
    table.forEach(text.toLowerCase(), (id) => {
      if (id >= 0) seen.push(terms[id] as string);
    });
    expect(seen).toEqual(tokenize(text));
    expect(resolved).toEqual([...new Set(words(text))]);
  });

  it('does not remember values below -1 and forgets everything on clear', () => {
    let calls = 0;
    const table = new WordTable(() => {
      calls++;
      return calls < 3 ? -2 : 7;
    });
    const out: number[] = [];
    for (let i = 0; i < 4; i++) table.forEach('word', (v) => out.push(v));
    expect(out).toEqual([-2, -2, 7, 7]);
    table.clear();
    table.forEach('word', (v) => out.push(v));
    expect(calls).toBe(4);
  });

  it('stays correct while growing past many distinct words', () => {
    const table = new WordTable((word) => Number(word.slice(1)));
    const text = Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' ');
    const out: number[] = [];
    table.forEach(text, (v) => out.push(v));
    table.forEach(text, (v) => out.push(v));
    expect(out).toEqual([...Array.from({ length: 20_000 }, (_, i) => i), ...Array.from({ length: 20_000 }, (_, i) => i)]);
  });
});
