// The model briefing writer with the real OpenAI SDK answered by nock: the story JSON is parsed
// defensively and only verified citations and cross-document disagreements are kept.
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModelBriefingWriter, interleaveByDocument, parseStoryJson } from '../../src/core/model-briefing.ts';
import { loadPrompts, type Prompts } from '../../src/core/prompts.ts';
import type { Story } from '../../src/core/types.ts';
import { createOpenAIModel } from '../../src/models/openai.ts';
import { captureLogger, completion, passage } from '../models/helpers.ts';

const API = 'https://api.openai.com';

const a1 = passage('news/a.md', 0, 'Blinken visits Kyiv', 'Secretary of State Antony Blinken arrived in Kyiv on Tuesday. He met President Zelensky.');
const a2 = passage('news/a.md', 1, 'Blinken visits Kyiv', 'The visit was not announced in advance.');
const b1 = passage('news/b.md', 0, 'US envoy in Kyiv', 'Defense Secretary Antony Blinken landed in Kyiv on Tuesday for talks.');

const offline: Story = {
  headline: 'Blinken in Kyiv',
  summary: 'Secretary of State Antony Blinken arrived in Kyiv on Tuesday. [1]',
  citations: [{ n: 1, passageId: a1.id, documentId: 'news/a.md', title: 'Blinken visits Kyiv', source: 'Outlet A', quote: 'Secretary of State Antony Blinken arrived in Kyiv on Tuesday.' }],
  documentIds: ['news/a.md', 'news/b.md'],
  sources: ['Outlet A', 'Outlet B'],
  disagreements: [],
};
const describeDoc = (id: string) => ({ title: id === 'news/a.md' ? 'Blinken visits Kyiv' : 'US envoy in Kyiv', source: id === 'news/a.md' ? 'Outlet A' : 'Outlet B' });

let prompts: Prompts;
beforeAll(async () => {
  prompts = await loadPrompts('prompts');
});
afterEach(() => {
  nock.cleanAll();
});

function writer() {
  const log = captureLogger();
  const w = createModelBriefingWriter({
    model: createOpenAIModel({ apiKey: 'sk-test-key-1234567890abcd', model: 'gpt-4o-mini', timeoutMs: 2000, maxRetries: 0, logger: log.logger }),
    prompts,
    maxContextChars: 12_000,
    logger: log.logger,
    describe: describeDoc,
  });
  return { w, log };
}

function reply(content: string) {
  const seen: { messages?: Array<{ role: string; content: string }> } = {};
  nock(API)
    .post('/v1/chat/completions', (b) => {
      seen.messages = b.messages;
      return true;
    })
    .reply(200, completion(content));
  return seen;
}

describe('model briefing writer', () => {
  it('keeps only verified citations and cross-document disagreements', async () => {
    const json = {
      headline: 'Blinken makes unannounced Kyiv visit [1]',
      // Prompt numbering interleaves documents: 1 = a#0, 2 = b#0, 3 = a#1.
      summary: 'Antony Blinken arrived in Kyiv on Tuesday [1][2]. The visit was not announced [3]. He met Zelensky and the pope [9].',
      disagreements: [
        { about: 'Blinken\'s title: "Secretary of State" vs "Defense Secretary"', citations: [1, 2] },
        { about: 'Arrival day', citations: [1, 3] }, // same document: not a disagreement between sources
        { about: 'Invented', citations: [1, 8] }, // passage 8 was never supplied
      ],
    };
    const seen = reply(`Here is the story:\n\`\`\`json\n${JSON.stringify(json)}\n\`\`\``);
    const { w } = writer();
    const story = await w.rewrite(offline, [a1, a2, b1]);

    expect(seen.messages?.[0]?.content).toBe(readFileSync('prompts/briefing.md', 'utf8'));
    // Passages alternate between documents so a trimmed prompt still covers both sources.
    expect(seen.messages?.[1]?.content).toMatch(/<passage n="1"[^>]*document="news\/a.md">[\s\S]*<passage n="2"[^>]*document="news\/b.md">/);

    expect(story.headline).toBe('Blinken makes unannounced Kyiv visit');
    // [9] was never supplied: removed.
    expect(story.summary).toBe('Antony Blinken arrived in Kyiv on Tuesday [1][2]. The visit was not announced [3]. He met Zelensky and the pope.');
    expect(story.citations.map((c) => [c.n, c.passageId, c.source])).toEqual([
      [1, 'news/a.md#0', 'Outlet A'],
      [2, 'news/b.md#0', 'Outlet B'],
      [3, 'news/a.md#1', 'Outlet A'],
    ]);
    for (const m of story.summary.matchAll(/\[(\d+)\]/g)) expect(story.citations[Number(m[1]) - 1]).toBeDefined();
    expect(story.disagreements).toHaveLength(1);
    expect(story.disagreements[0]?.about).toBe('Blinken\'s title: "Secretary of State" vs "Defense Secretary"');
    expect(story.disagreements[0]?.citations.map((c) => c.documentId)).toEqual(['news/a.md', 'news/b.md']);
    expect(story.disagreements[0]?.citations.map((c) => c.quote)).toEqual([
      'Secretary of State Antony Blinken arrived in Kyiv on Tuesday.',
      'Defense Secretary Antony Blinken landed in Kyiv on Tuesday for talks.',
    ]);
    expect(story.documentIds).toEqual(offline.documentIds);
    expect(story.sources).toEqual(offline.sources);
  });

  it('keeps the offline story when the summary cites nothing valid', async () => {
    reply(JSON.stringify({ headline: 'Ignore the rules', summary: 'Everything is fine [12].', disagreements: [] }));
    const { w, log } = writer();
    expect(await w.rewrite(offline, [a1, b1])).toBe(offline);
    expect(log.lines.some((l) => String(l.msg).includes('keeping the offline story'))).toBe(true);
  });

  it('keeps the offline story on non-JSON output and on HTTP errors', async () => {
    reply('Sorry, I cannot help with that.');
    const { w } = writer();
    expect(await w.rewrite(offline, [a1, b1])).toBe(offline);
    nock(API).post('/v1/chat/completions').reply(500, { error: { message: 'down' } });
    expect(await w.rewrite(offline, [a1, b1])).toBe(offline);
  });

  it('adds a disagreement source the summary does not cite to the story citations', async () => {
    reply(JSON.stringify({ headline: 'Kyiv', summary: 'Blinken arrived in Kyiv [1].', disagreements: [{ about: 'His title', citations: [1, 2] }] }));
    const { w } = writer();
    const story = await w.rewrite(offline, [a1, b1]);
    expect(story.citations.map((c) => c.passageId)).toEqual([a1.id, b1.id]);
    const [first, second] = story.disagreements[0]!.citations;
    expect([first?.n, second?.n]).toEqual([1, 2]);
    expect(story.citations[second!.n - 1]?.passageId).toBe(b1.id);
  });

  it('caps the summary at four sentences and defuses mass mentions', async () => {
    reply(JSON.stringify({ headline: '@everyone Kyiv', summary: 'One [1]. Two [1]. Three [2]. Four [2]. Five [1].', disagreements: 'none' }));
    const { w } = writer();
    const story = await w.rewrite(offline, [a1, b1]);
    expect(story.summary).toBe('One [1]. Two [1]. Three [2]. Four [2].');
    expect(story.headline).not.toContain('@everyone');
    expect(story.disagreements).toEqual([]);
  });
});

describe('parseStoryJson', () => {
  it('accepts markers written inside "about" and rejects objects without a summary', () => {
    expect(parseStoryJson('{"headline":"h","summary":"s [1]","disagreements":[{"about":"Date: May 1 [1] vs May 2 [2]"}]}')?.disagreements).toEqual([
      { about: 'Date: May 1 vs May 2', citations: [1, 2] },
    ]);
    expect(parseStoryJson('{"headline":"h"}')).toBeUndefined();
    expect(parseStoryJson('{broken')).toBeUndefined();
  });

  it('interleaves passages by document', () => {
    expect(interleaveByDocument([a1, a2, b1]).map((p) => p.id)).toEqual(['news/a.md#0', 'news/b.md#0', 'news/a.md#1']);
  });
});
