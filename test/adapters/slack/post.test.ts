// adapter.post (the scheduler's path) against the default Web API base https://slack.com/api,
// intercepted by nock; then a reply in the briefing's thread reaches the core with the same ref.
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/app.ts';
import type { Briefing, Story } from '../../../src/core/types.ts';
import { silentLogger } from '../../../src/logger.ts';
import { citations, loadFixture, RecordingHandler, SIGNING_SECRET, sendSigned } from './support.ts';

let adapter: SlackAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
  nock.cleanAll();
});

type Form = Record<string, string>;

function recordPosts(): { posts: Form[]; scope: nock.Scope } {
  const posts: Form[] = [];
  let n = 0;
  const scope = nock('https://slack.com')
    .post('/api/chat.postMessage')
    .times(20)
    .reply(200, (_uri, body) => {
      const form = Object.fromEntries(new URLSearchParams(String(body))) as Form;
      posts.push(form);
      return { ok: true, channel: form.channel, ts: `1732000000.00000${++n}` };
    });
  return { posts, scope };
}

const story = (i: number): Story => ({
  headline: `Story ${i}`, summary: `${'Something happened downriver and was reported. '.repeat(40)}[1]`, citations,
  documentIds: ['rivers.md'], sources: ['Atlas Weekly', 'delta.txt'], disagreements: [],
});

describe('Slack adapter.post', () => {
  it('posts a long briefing as a thread and returns that thread as the conversation; replies there reach the core', async () => {
    const { posts } = recordPosts();
    const handler = new RecordingHandler();
    adapter = createSlackAdapter({ botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1', logger: silentLogger(), botId: 'B0BRIEF01', botUserId: 'U0LAN0Z89' });
    await adapter.start(handler);

    const briefing: Briefing = { generatedAt: '2025-11-21T08:00:00Z', mode: 'extractive', documents: { included: 30, skipped: [] }, stories: Array.from({ length: 12 }, (_, i) => story(i)) };
    const posted = await adapter.post(adapter.channelRef('C123ABC456'), briefing);
    expect(posted).toEqual({ conversation: { platform: 'slack', id: 'C123ABC456:1732000000.000001' }, messageId: '1732000000.000001' });
    expect(posts.length).toBeGreaterThan(1);
    expect(posts[0]!.thread_ts).toBeUndefined();
    expect(posts.slice(1).every((p) => p.thread_ts === '1732000000.000001')).toBe(true);
    expect(posts.every((p) => JSON.parse(p.blocks!).length <= 50 && p.text!.length < 4000)).toBe(true);

    // The core marks the briefing thread active; a plain reply in it is then answered in that thread.
    handler.active.add(posted.conversation.id);
    const base = loadFixture<{ event: Record<string, unknown> } & Record<string, unknown>>('message_im.event_callback.json');
    const reply = { ...base, event_id: 'Ev-briefing-reply', event: { ...base.event, channel: 'C123ABC456', channel_type: 'channel', text: 'tell me more about story 3', ts: '1732000100.000100', thread_ts: '1732000000.000001' } };
    const before = posts.length;
    await sendSigned(adapter.port!, JSON.stringify(reply));
    await until(() => posts.length > before);
    expect(handler.asks[0]!.question.conversation).toEqual(posted.conversation);
    expect(posts.at(-1)!.thread_ts).toBe('1732000000.000001');
  });

  it('explains a post into a channel the bot is not in', async () => {
    nock('https://slack.com').post('/api/chat.postMessage').reply(200, { ok: false, error: 'not_in_channel' });
    adapter = createSlackAdapter({ botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1', logger: silentLogger(), botId: 'B0BRIEF01', botUserId: 'U0LAN0Z89' });
    const briefing: Briefing = { generatedAt: '2025-11-21T08:00:00Z', mode: 'extractive', documents: { included: 1, skipped: [] }, stories: [] };
    await expect(adapter.post(adapter.channelRef('C0NOTMEMBER'), briefing)).rejects.toThrow(/C0NOTMEMBER \(not_in_channel\)\. Invite the bot/);
  });
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
