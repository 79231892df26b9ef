/** Rendering and splitting of answers, briefings and sources for Discord (pure functions). */
import { describe, expect, it } from 'vitest';
import { citationBlock, renderAnswer, renderBriefing, renderPartial, toDiscordMarkdown } from '../../../src/adapters/discord/format.ts';
import { LIMITS, packMessages, splitText } from '../../../src/adapters/discord/limits.ts';
import { answer, briefing, citation, limitProblems } from './helpers.ts';

describe('splitText', () => {
  it('keeps every word, respects the maximum and prefers paragraph breaks', () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Paragraph ${i}: ${'lorem ipsum dolor '.repeat(20).trim()}.`);
    const pieces = splitText(paragraphs.join('\n\n'), 1000);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(1000);
    expect(pieces.join(' ').split(/\s+/)).toEqual(paragraphs.join(' ').split(/\s+/));
    for (const piece of pieces) expect(piece).toMatch(/^Paragraph \d+:/);
  });

  it('cuts a word that is longer than the maximum, but never inside an emoji', () => {
    const text = `a${'😀'.repeat(10)}`;
    const pieces = splitText(text, 4);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(4);
      expect(piece).not.toMatch(/[\ud800-\udbff]$/);
    }
  });
});

describe('packMessages', () => {
  it('never puts more than 10 embeds or 6000 characters in one message', () => {
    const embeds = Array.from({ length: 23 }, (_, i) => ({ title: `E${i}`, description: 'x'.repeat(1400) }));
    const messages = packMessages('c'.repeat(4500), embeds);
    for (const m of messages) expect(limitProblems(m)).toEqual([]);
    expect(messages.flatMap((m) => m.embeds).map((e) => e.title)).toEqual(embeds.map((e) => e.title));
    expect(messages.map((m) => m.content ?? '').join('').length).toBe(4500);
  });
});

describe('renderAnswer', () => {
  it('shows a not-found answer plainly, without a sources list', () => {
    const messages = renderAnswer(
      answer({ found: false, markdown: 'The documents do not say when the library opens.', citations: [], confidence: 'low' }),
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.embeds).toHaveLength(1);
    expect(messages[0]?.embeds[0]?.description).toBe('The documents do not say when the library opens.');
    expect(messages[0]?.embeds[0]?.footer?.text).toContain('Confidence: low');
  });

  it('lists the closest passages a not-found answer points to', () => {
    const [message] = renderAnswer(
      answer({ found: false, markdown: "I couldn't find that in the documents. The closest passages are [1].", citations: [citation(1)] }),
    );
    expect(message?.embeds[1]?.title).toBe('Closest passages (1)');
    expect(message?.embeds[1]?.description).toContain('**[1]** [Document 1](<https://example.com/news/1>)');
  });

  it('puts the note in the footer and trims an over-long question title to 256', () => {
    const [message] = renderAnswer(answer({ question: 'q'.repeat(900), note: 'The model was unavailable; extractive answer.' }));
    expect(message?.embeds[0]?.title?.length).toBe(LIMITS.title);
    expect(message?.embeds.at(-1)?.footer?.text).toBe(
      'The model was unavailable; extractive answer. · Confidence: high · quoted from the documents',
    );
  });
});

describe('markdown', () => {
  it('shows link targets instead of hiding them behind text, and flattens headings', () => {
    expect(toDiscordMarkdown('## Hours\nSee [the site](https://evil.example/x) [1].')).toBe(
      '**Hours**\nSee the site (<https://evil.example/x>) [1].',
    );
  });

  it('links titles with <…> so they do not unfurl, and only for http(s) URLs', () => {
    expect(citationBlock(citation(3, { url: 'https://example.com/a_(b)' }))).toContain('[Document 3](<https://example.com/a_%28b%29>)');
    expect(citationBlock(citation(4, { url: 'javascript:alert(1)' }))).toMatch(/^\*\*\[4\]\*\* \*\*Document 4\*\*/);
  });
});

describe('renderBriefing', () => {
  it('says when there are no new stories and still reports ingestion health', () => {
    const [message] = renderBriefing(briefing({ stories: [], documents: { included: 0, skipped: [] } }));
    expect(message?.content).toBe('**Briefing** — 0 stories');
    expect(message?.embeds[0]?.description).toBe('No new stories since the last briefing.');
    expect(message?.embeds[1]?.description).toBe('0 documents included.');
  });
});

describe('renderPartial', () => {
  it('fits streamed text into one embed, showing the latest part', () => {
    const embed = renderPartial(`${'start '.repeat(1000)}the newest words`);
    expect(embed.description?.length).toBeLessThanOrEqual(LIMITS.description);
    expect(embed.description).toMatch(/^….*the newest words$/s);
  });
});
