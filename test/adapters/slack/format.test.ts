import { describe, expect, it } from 'vitest';
import { decodeFeedbackValue, encodeFeedbackValue } from '../../../src/adapters/slack/feedback-value.ts';
import { renderAnswer, renderBriefing, SLACK_LIMITS, type SlackMessage } from '../../../src/adapters/slack/format.ts';
import { escapeText, markdownToMrkdwn, splitText, truncate } from '../../../src/adapters/slack/mrkdwn.ts';
import type { Briefing, Citation } from '../../../src/core/types.ts';
import { allText, citations, sampleAnswer } from './support.ts';

function within(messages: SlackMessage[]): void {
  for (const m of messages) {
    expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expect(m.text.length).toBeGreaterThan(0);
    expect(m.text.length).toBeLessThan(4000);
    for (const b of m.blocks) {
      if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
      if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
      if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10);
    }
  }
}

describe('mrkdwn conversion', () => {
  it('converts neutral markdown and keeps citation markers', () => {
    expect(markdownToMrkdwn('It is **wide** and *deep* [1].')).toBe('It is *wide* and _deep_ [1].');
    expect(markdownToMrkdwn('## Summary\n- one [2]\n- ~~two~~')).toBe('*Summary*\n• one [2]\n• ~two~');
    expect(markdownToMrkdwn('use `a<b` here')).toBe('use `a&lt;b` here');
  });

  it('links only citation urls; other links show where they go', () => {
    const urls = new Set(['https://example.com/rivers']);
    expect(markdownToMrkdwn('[Rivers](https://example.com/rivers)', { linkableUrls: urls })).toBe('<https://example.com/rivers|Rivers>');
    expect(markdownToMrkdwn('[Totally safe](https://evil.example/x)', { linkableUrls: urls })).toBe('Totally safe (https://evil.example/x)');
  });

  it('escapes Slack control sequences in any echoed text', () => {
    expect(escapeText('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
    expect(markdownToMrkdwn('hi <!here> <https://x.example|y>')).not.toMatch(/<[!@h]/);
  });

  it('splits and truncates without cutting links or entities', () => {
    const text = `${'word '.repeat(50)}<https://example.com/a|A link> &amp; more`;
    for (const max of [250, 260, 270, 280, 290]) {
      for (const piece of splitText(text, max)) {
        expect(piece.length).toBeLessThanOrEqual(max);
        expect(piece.split('<').length).toBe(piece.split('>').length);
        expect(piece).not.toMatch(/&[a-z]*$/);
      }
      const cut = truncate(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut.split('<').length).toBe(cut.split('>').length);
    }
  });
});

describe('renderAnswer', () => {
  it('shows the answer, numbered sources with links and quotes, confidence and feedback buttons', () => {
    const [message, ...rest] = renderAnswer(sampleAnswer('what is a river?', { note: 'The model was unavailable; extractive answer.' }));
    expect(rest).toEqual([]);
    const text = allText(message!.blocks).join('\n');
    expect(text).toContain('A river should be *wide and deep* [1]');
    expect(text).toContain('*[1]* <https://example.com/rivers|The Great Rivers> · Atlas Weekly\n> A river should be wide, deep and clean.');
    expect(text).toContain('*[2]* Delta notes · delta.txt\n> The delta floods every spring.');
    expect(text).toContain('The model was unavailable');
    expect(text).toContain('Confidence: *high*');
    const actions = message!.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => ('action_id' in e ? e.action_id : ''))).toEqual(['briefbot_feedback_up', 'briefbot_feedback_down']);
    expect(message!.text).toContain('[1]');
  });

  it('says clearly when the documents do not contain the answer', () => {
    const [message] = renderAnswer(sampleAnswer('q', { found: false, markdown: 'I could not find that in the documents.', citations: [], confidence: 'low' }));
    expect(message!.blocks[0]).toMatchObject({ type: 'context', elements: [{ text: expect.stringContaining('Not found in the documents') }] });
  });

  it('splits a very long answer across messages within every limit, buttons last', () => {
    const many: Citation[] = Array.from({ length: 60 }, (_, i) => ({ ...citations[0]!, n: i + 1, quote: 'x '.repeat(1500) }));
    const messages = renderAnswer(sampleAnswer('q', { markdown: 'Long sentence here. '.repeat(2000), citations: many }));
    expect(messages.length).toBeGreaterThan(2);
    within(messages);
    expect(messages.map((m) => m.blocks.some((b) => b.type === 'actions'))).toEqual(messages.map((_, i) => i === messages.length - 1));
  });
});

describe('renderBriefing', () => {
  const briefing: Briefing = {
    generatedAt: '2025-11-21T08:00:00Z',
    mode: 'extractive',
    documents: { included: 12, skipped: [{ path: 'bad<!here>.html', reason: 'not UTF-8' }] },
    stories: [{
      headline: 'Blinken outlines peace plan',
      summary: 'The plan was sent to both sides [1]. One source calls him Defense Secretary [2].',
      citations,
      documentIds: ['rivers.md', 'delta.txt'],
      sources: ['Atlas Weekly', 'delta.txt'],
      disagreements: [{ about: 'Blinken’s title: "Secretary of State" vs "Defense Secretary"', citations }],
    }],
  };

  it('renders header, story, source count, disagreements, sources and the ingestion footer', () => {
    const messages = renderBriefing(briefing);
    within(messages);
    const text = messages.flatMap((m) => allText(m.blocks)).join('\n');
    expect(messages[0]!.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Daily briefing — 2025-11-21' } });
    expect(text).toContain('*Blinken outlines peace plan*');
    expect(text).toContain('2 sources: Atlas Weekly, delta.txt');
    expect(text).toContain(':warning: *Sources differ:* Blinken’s title: "Secretary of State" vs "Defense Secretary"');
    expect(text).toContain('• *[1]* <https://example.com/rivers|The Great Rivers> · Atlas Weekly\n> A river should be wide');
    expect(text).toContain('12 documents included');
    expect(text).toContain('1 file skipped: bad&lt;!here&gt;.html (not UTF-8)');
  });

  it('says so when there is nothing new', () => {
    const text = renderBriefing({ ...briefing, stories: [] }).flatMap((m) => allText(m.blocks)).join('\n');
    expect(text).toContain('No new stories since the last briefing.');
  });
});

describe('feedback button value', () => {
  it('round-trips a short answer exactly', () => {
    const answer = sampleAnswer('what is a river?');
    expect(decodeFeedbackValue(encodeFeedbackValue(answer))).toEqual({ question: answer.question, answer: answer.markdown, citations });
  });

  it('stays within 2000 characters for a huge answer and keeps citation ids', () => {
    const many: Citation[] = Array.from({ length: 30 }, (_, i) => ({ ...citations[0]!, n: i + 1, passageId: `p${i}#0`, quote: 'q'.repeat(900), title: 't'.repeat(300) }));
    const value = encodeFeedbackValue(sampleAnswer('why? '.repeat(400), { markdown: 'm'.repeat(9000), citations: many }));
    expect(value.length).toBeLessThanOrEqual(2000);
    const decoded = decodeFeedbackValue(value)!;
    expect(decoded.citations.length).toBeGreaterThan(10);
    expect(decoded.citations[0]?.passageId).toBe('p0#0');
    expect(decodeFeedbackValue('not json')).toBeUndefined();
  });
});
