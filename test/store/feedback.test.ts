import { describe, expect, it } from 'vitest';
import type { FeedbackVote } from '../../src/adapters/types.ts';
import { openDatabase } from '../../src/store/database.ts';
import { createFeedbackStore } from '../../src/store/feedback.ts';

const vote: FeedbackVote = {
  conversation: { platform: 'slack', id: 'C123ABC456:1515449522.000016' },
  userId: 'U061F7AUR',
  vote: 'up',
  question: 'is it everything a river should be?',
  answer: 'The river is wide [1].',
  citations: [
    { n: 1, passageId: 'rivers.md#0', documentId: 'rivers.md', title: 'Rivers', source: 'Atlas', url: 'https://example.com/r', quote: 'The river is wide.' },
  ],
};

describe('feedback store', () => {
  it('keeps the question, answer and citations of each vote, newest first', () => {
    const store = createFeedbackStore({ db: openDatabase({ dataDir: ':memory:' }) });
    store.record({ ...vote, at: new Date('2025-01-01T10:00:00Z') });
    store.record({ ...vote, vote: 'down', userId: undefined, at: new Date('2025-01-01T11:00:00Z') });

    const votes = store.list();
    expect(votes).toHaveLength(2);
    expect(votes[0]?.vote).toBe('down');
    expect(votes[0]?.userId).toBeUndefined();
    expect(votes[0]?.at.toISOString()).toBe('2025-01-01T11:00:00.000Z');
    expect(votes[1]).toMatchObject({ ...vote, at: new Date('2025-01-01T10:00:00Z') });
    expect(votes[1]?.citations[0]?.quote).toBe('The river is wide.');
    expect(store.list(1)).toHaveLength(1);
  });

  it('refuses a vote that is neither up nor down and stores nothing', () => {
    const store = createFeedbackStore({ db: openDatabase({ dataDir: ':memory:' }) });
    expect(() => store.record({ ...vote, vote: 'sideways' as 'up' })).toThrow(/"up" or "down"/);
    expect(store.list()).toEqual([]);
  });
});
