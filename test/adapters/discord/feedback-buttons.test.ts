/** The feedback buttons' custom ids and reading a rendered answer back (pure functions). */
import { describe, expect, it } from 'vitest';
import { feedbackCustomId, parseFeedbackCustomId } from '../../../src/adapters/discord/feedback-buttons.ts';
import { recoverAnswer } from '../../../src/adapters/discord/feedback-recover.ts';
import { renderAnswer } from '../../../src/adapters/discord/format.ts';
import { answer, citation } from './helpers.ts';

describe('feedback custom ids', () => {
  it('stay within 100 characters, never cut an emoji in half, and read back', () => {
    const question = `${'🦆'.repeat(60)} why\n\tso   many ducks?`;
    const id = feedbackCustomId('down', 'AbC-_123', question);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(id).not.toMatch(/[\ud800-\udbff]…$/);
    expect(parseFeedbackCustomId(id)).toEqual({ vote: 'down', key: 'AbC-_123', question: id.slice('bb:fb:down:AbC-_123:'.length) });
    expect(parseFeedbackCustomId(feedbackCustomId('up', 'k', 'a:b: c'))).toEqual({ vote: 'up', key: 'k', question: 'a:b: c' });
    expect(parseFeedbackCustomId('bb:fb:sideways:k:q')).toBeUndefined();
  });
});

describe('recoverAnswer', () => {
  it('reads question, answer and citations back from rendered embeds, markdown escapes undone', () => {
    const original = answer({
      question: 'What about `code` and *stars*?',
      markdown: 'Plain answer text [1].',
      citations: [citation(1, { title: 'A_b *c* [d]', source: 'Out|let', quote: '- listed\n# heading-like > quote' })],
    });
    const [message] = renderAnswer(original);
    const recovered = recoverAnswer(message?.embeds ?? [], 'What about `code`…');
    expect(recovered.question).toBe(original.question);
    expect(recovered.answer).toBe('Plain answer text [1].');
    expect(recovered.citations).toEqual([
      { n: 1, passageId: '', documentId: '', title: 'A_b *c* [d]', source: 'Out|let', url: 'https://example.com/news/1', quote: '- listed\n# heading-like > quote' },
    ]);
  });

  it('prefers the button’s question when the message shows another title', () => {
    expect(recoverAnswer([{ title: 'Sources (1)', description: '**[1]** **T**' }], 'Asked this?').question).toBe('Asked this?');
  });
});
