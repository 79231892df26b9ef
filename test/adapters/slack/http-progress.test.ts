// Progress and size handling through a real Bolt App: the placeholder, streamed partial answers
// reaching chat.update at about one edit per second, and long answers split within Slack's limits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/app.ts';
import type { Citation } from '../../../src/core/types.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.ts';
import { allText, loadFixture, RecordingHandler, sampleAnswer, SIGNING_SECRET, sendSigned } from './support.ts';

let slack: FakeSlackApi;
let adapter: SlackAdapter;
let handler: RecordingHandler;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  slack = await startFakeSlackApi();
  handler = new RecordingHandler();
  adapter = createSlackAdapter({
    botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1', apiUrl: slack.apiUrl,
    logger: silentLogger(), botId: 'B0BRIEF01', botUserId: 'U0LAN0Z89',
  });
  await adapter.start(handler);
});

afterEach(async () => {
  await adapter.stop();
  await slack.close();
});

const mention = () => JSON.stringify(loadFixture('app_mention.event_callback.json'));

describe('Slack progress and limits', () => {
  it('streams partial answers into the placeholder at most about once a second, then the final answer', async () => {
    handler.answer = async (q, options) => {
      let text = '';
      for (const word of ['A', 'river', 'should', 'be', 'wide', 'and', 'deep', 'and', 'clean', 'too']) {
        text += `${word} `;
        options?.onPartial?.(text);
        await sleep(5);
      }
      await sleep(1300);
      options?.onPartial?.(`${text}[1]`);
      return sampleAnswer(q.text);
    };
    await sendSigned(adapter.port!, mention());
    await slack.waitFor('chat.update', 3, 8000);
    await sleep(1200); // let any stray throttled edit show itself

    const [placeholder] = slack.of('chat.postMessage');
    expect(slack.of('chat.postMessage')).toHaveLength(1);
    expect(placeholder!.params.thread_ts).toBe('1515449522.000016');
    expect(String(placeholder!.params.text)).toContain('Looking through the documents');

    const updates = slack.of('chat.update');
    expect(updates.every((u) => u.params.ts === '1700000000.000001' && u.params.channel === 'C123ABC456')).toBe(true);
    const partials = updates.slice(0, -1);
    // 11 partials were produced; the throttle lets through the first and then one per second.
    expect(partials.length).toBeGreaterThanOrEqual(2);
    expect(partials.length).toBeLessThanOrEqual(3);
    expect(String(partials[0]!.params.text)).toMatch(/^A /);
    for (let i = 1; i < partials.length; i++) expect(partials[i]!.at - partials[i - 1]!.at).toBeGreaterThanOrEqual(900);
    expect(allText(partials.at(-1)!.params.blocks).join(' ')).toContain('Writing…');

    const final = updates.at(-1)!;
    expect(allText(final.params.blocks).join('\n')).toContain('<https://example.com/rivers|The Great Rivers>');
    expect(allText(final.params.blocks).join('\n')).not.toContain('Writing…');
  });

  it('shows a placeholder while a slow answer is prepared and replaces it with the answer', async () => {
    handler.answer = async (q) => {
      await sleep(1100);
      return sampleAnswer(q.text);
    };
    await sendSigned(adapter.port!, mention());
    const [placeholder] = await slack.waitFor('chat.postMessage');
    expect(String(placeholder!.params.text)).toContain('Looking through the documents');
    const [update] = await slack.waitFor('chat.update');
    expect(update!.params.ts).toBe('1700000000.000001');
    expect(allText(update!.params.blocks).join('\n')).toContain('*[1]*');
    expect(slack.of('chat.postMessage')).toHaveLength(1);
  });

  it('splits a long answer into several messages in the same thread, each within the limits', async () => {
    const many: Citation[] = Array.from({ length: 40 }, (_, i) => ({
      n: i + 1, passageId: `doc${i}.md#0`, documentId: `doc${i}.md`, title: `Report number ${i + 1}`, source: 'Wire',
      url: `https://example.com/${i}`, quote: `Quoted sentence ${i + 1}: ${'the river rose again. '.repeat(20)}`,
    }));
    const paragraph = (i: number) => `Paragraph ${i} says the water rose [${(i % 40) + 1}]. ${'It kept rising through the night and the town watched. '.repeat(12)}`;
    const markdown = Array.from({ length: 30 }, (_, i) => paragraph(i)).join('\n\n');
    expect(markdown.length).toBeGreaterThan(20_000);
    handler.answer = async (q) => sampleAnswer(q.text, { markdown, citations: many });

    await sendSigned(adapter.port!, mention());
    await slack.waitFor('chat.postMessage', 2);
    await sleep(300);
    const posts = slack.of('chat.postMessage');
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (const post of posts) {
      const blocks = post.params.blocks as Array<{ type: string; text?: { text: string }; elements?: unknown[] }>;
      expect(post.params.thread_ts).toBe('1515449522.000016');
      expect(blocks.length).toBeLessThanOrEqual(50);
      expect(String(post.params.text).length).toBeLessThan(4000);
      for (const b of blocks) {
        if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
        if (b.type === 'context') expect(b.elements!.length).toBeLessThanOrEqual(10);
      }
    }
    const withButtons = posts.filter((p) => (p.params.blocks as Array<{ type: string }>).some((b) => b.type === 'actions'));
    expect(withButtons).toEqual([posts.at(-1)]);
    const all = posts.flatMap((p) => allText(p.params.blocks)).join('\n');
    expect(all).toContain('Paragraph 29 says');
    expect(all).toContain('*[40]* <https://example.com/39|Report number 40>');
  });
});
