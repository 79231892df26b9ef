import { describe, expect, it } from 'vitest';
import type { BriefCommand, ConversationRef } from '../../src/adapters/types.ts';
import { type AnswerStrategy, createAssistant } from '../../src/core/assistant.ts';
import { chunkDocument } from '../../src/core/chunker.ts';
import { createExtractiveAnswerer } from '../../src/core/extractive-answerer.ts';
import type { Retriever, SearchOptions } from '../../src/core/retriever.ts';
import { createLexicalIndex } from '../../src/core/lexical-index.ts';
import type { Document, Passage, ScoredPassage } from '../../src/core/types.ts';
import { silentLogger } from '../../src/logger.ts';
import { createConversationLog } from '../../src/store/conversations.ts';
import { openDatabase } from '../../src/store/database.ts';
import { createDeliveryLog } from '../../src/store/deliveries.ts';
import { createFeedbackStore } from '../../src/store/feedback.ts';

const docs: Document[] = [
  { id: 'ferry.md', title: 'Ferry timetable', source: 'Port Office', hash: '1', text: 'The ferry to Lund leaves at 09:15 every weekday.\n\nOn Sundays the first ferry leaves at 11:00.' },
  { id: 'bridge.md', title: 'Bridge works', source: 'City', hash: '2', text: 'The Lund bridge closes for repairs in June.\n\nTraffic will be diverted through the tunnel.' },
];
const passages: Passage[] = docs.flatMap((d) => chunkDocument(d, { targetChars: 60 }));

/** A fake retriever that records every query and ranks by shared lower-case words. */
class RecordingRetriever implements Retriever {
  calls: Array<{ query: string; options?: SearchOptions }> = [];
  async search(query: string, options?: SearchOptions): Promise<ScoredPassage[]> {
    this.calls.push({ query, options });
    const words = new Set(query.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []);
    return passages
      .filter((p) => !options?.documentIds || options.documentIds.includes(p.documentId))
      .map((passage) => ({ passage, score: (passage.text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []).filter((w) => words.has(w)).length }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, options?.limit ?? 5);
  }
}

function setup(overrides: { answerer?: AnswerStrategy; briefingDocs?: string[] } = {}) {
  const db = openDatabase({ dataDir: ':memory:' });
  const index = createLexicalIndex();
  for (const d of docs) index.setDocument(d.id, passages.filter((p) => p.documentId === d.id));
  const describe = (id: string) => docs.find((d) => d.id === id);
  const extractive = createExtractiveAnswerer({ describe, weight: (t) => index.termWeight(t) });
  const retriever = new RecordingRetriever();
  const feedback = createFeedbackStore({ db });
  const briefCalls: BriefCommand[] = [];
  const handler = createAssistant({
    retriever,
    answerer: overrides.answerer ?? { answer: async (q, p) => extractive.answer(q, p) },
    describe,
    weight: (t) => index.termWeight(t),
    conversations: createConversationLog({ db }),
    deliveries: createDeliveryLog({ db }),
    feedback,
    briefings: {
      command: async (_c, cmd) => {
        briefCalls.push(cmd);
        return { message: 'ok' };
      },
      briefingDocuments: (c) => (c.id === 'briefing-thread' ? overrides.briefingDocs : undefined),
    },
    logger: silentLogger(),
    maxQuestionChars: 200,
  });
  return { handler, retriever, feedback, briefCalls };
}

const thread: ConversationRef = { platform: 'slack', id: 'T1:C1:100.1' };

describe('assistant', () => {
  it('answers with citations and remembers the conversation', async () => {
    const { handler } = setup();
    expect(handler.isActiveConversation(thread)).toBe(false);
    const answer = await handler.ask({ text: 'When does the ferry to Lund leave on weekdays?', conversation: thread });
    expect(answer.found).toBe(true);
    expect(answer.markdown).toContain('09:15');
    expect(answer.citations[0]).toMatchObject({ documentId: 'ferry.md', source: 'Port Office' });
    expect(handler.isActiveConversation(thread)).toBe(true);
  });

  it('uses earlier questions in the thread when retrieving a follow-up', async () => {
    const { handler, retriever } = setup();
    await handler.ask({ text: 'When does the ferry leave?', conversation: thread });
    retriever.calls = [];
    await handler.ask({ text: 'And on Sundays?', conversation: thread });
    expect(retriever.calls.map((c) => c.query)).toEqual(['And on Sundays?', 'And on Sundays? When does the ferry leave?']);
  });

  it('restricts retrieval to the briefing documents inside a briefing thread', async () => {
    const { handler, retriever } = setup({ briefingDocs: ['bridge.md'] });
    const ref: ConversationRef = { platform: 'slack', id: 'briefing-thread' };
    expect(handler.isActiveConversation(ref)).toBe(true);
    const answer = await handler.ask({ text: 'When does it close?', conversation: ref });
    expect(retriever.calls[0]!.options?.documentIds).toEqual(['bridge.md']);
    expect(answer.citations.every((c) => c.documentId === 'bridge.md')).toBe(true);
  });

  it('refuses over-long and empty questions politely without retrieving', async () => {
    const { handler, retriever } = setup();
    const long = await handler.ask({ text: 'ferry '.repeat(100), conversation: thread });
    expect(long.found).toBe(false);
    expect(long.markdown).toMatch(/limit is 200/);
    const empty = await handler.ask({ text: '  ', conversation: thread });
    expect(empty.markdown).toMatch(/Please ask a question/);
    expect(retriever.calls).toEqual([]);
  });

  it('turns an answerer crash into a friendly answer instead of throwing', async () => {
    const { handler } = setup({ answerer: { answer: async () => { throw new Error('disk on fire'); } } });
    const answer = await handler.ask({ text: 'When does the ferry leave?', conversation: thread });
    expect(answer.found).toBe(false);
    expect(answer.markdown).toMatch(/something went wrong/);
    expect(answer.markdown).not.toContain('disk on fire');
  });

  it('lists sources with their best sentence, records feedback and claims deliveries once', async () => {
    const { handler, feedback, briefCalls } = setup();
    const sources = await handler.sources('bridge repairs June');
    expect(sources[0]).toMatchObject({ n: 1, documentId: 'bridge.md', quote: 'The Lund bridge closes for repairs in June.' });
    await handler.recordFeedback({ conversation: thread, vote: 'up', question: 'q', answer: 'a', citations: sources });
    expect(feedback.list()).toHaveLength(1);
    expect(handler.claimDelivery('Ev1')).toBe(true);
    expect(handler.claimDelivery('Ev1')).toBe(false);
    await handler.brief(thread, { kind: 'status' });
    expect(briefCalls).toEqual([{ kind: 'status' }]);
  });
});
