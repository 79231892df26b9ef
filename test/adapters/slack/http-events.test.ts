// A real Bolt App with its HTTP receiver on 127.0.0.1 receives signed Events API requests built
// from the recorded payloads in test/fixtures/slack; Web API calls go to a local fake Slack.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/app.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.ts';
import { allText, loadFixture, RecordingHandler, sampleAnswer, SIGNING_SECRET, sendSigned } from './support.ts';

type Envelope = { event_id: string; event: Record<string, unknown> } & Record<string, unknown>;
const BOT_USER = 'U0LAN0Z89'; // the bot mentioned in the app_mention fixture

let slack: FakeSlackApi;
let adapter: SlackAdapter;
let handler: RecordingHandler;

async function startAdapter(overrides: Partial<Parameters<typeof createSlackAdapter>[0]> = {}): Promise<SlackAdapter> {
  const created = createSlackAdapter({
    botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1',
    apiUrl: slack.apiUrl, logger: silentLogger(), botId: 'B0BRIEF01', botUserId: BOT_USER, ...overrides,
  });
  await created.start(handler);
  return created;
}

beforeEach(async () => {
  slack = await startFakeSlackApi();
  handler = new RecordingHandler();
  adapter = await startAdapter();
});

afterEach(async () => {
  await adapter.stop();
  await slack.close();
});

describe('Slack HTTP mode: events', () => {
  it('answers a mention with exactly one post in the thread of the mention, with citations', async () => {
    const body = JSON.stringify(loadFixture('app_mention.event_callback.json'));
    const res = await sendSigned(adapter.port!, body);
    expect(res.status).toBe(200);

    const [post] = await slack.waitFor('chat.postMessage');
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.of('chat.postMessage')).toHaveLength(1);
    expect(post!.params.channel).toBe('C123ABC456');
    expect(post!.params.thread_ts).toBe('1515449522.000016');
    expect(post!.auth).toBe('Bearer xoxb-test-token');
    const text = allText(post!.params.blocks).join('\n');
    expect(text).toContain('*[1]* <https://example.com/rivers|The Great Rivers> · Atlas Weekly');
    expect(text).toContain('> A river should be wide, deep and clean.');
    expect(text).toContain('*[2]* Delta notes');
    expect(String(post!.params.text)).toContain('[1]');

    expect(handler.asks).toHaveLength(1);
    expect(handler.asks[0]!.question).toEqual({
      text: 'is it everything a river should be?',
      conversation: { platform: 'slack', id: 'C123ABC456:1515449522.000016' },
      userId: 'U061F7AUR',
    });
  });

  it('drops the same event retried with x-slack-retry-num: 1', async () => {
    const body = JSON.stringify(loadFixture('app_mention.event_callback.json'));
    await sendSigned(adapter.port!, body);
    await slack.waitFor('chat.postMessage');
    const retry = await sendSigned(adapter.port!, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.of('chat.postMessage')).toHaveLength(1);
    expect(handler.asks).toHaveLength(1);
    // Dropped on the envelope's event_id, claimed durably through the core.
    expect(handler.claimed.has('slack:event:Ev123ABC456')).toBe(true);
  });

  it('rejects a bad signature and a stale timestamp with 401 and does nothing', async () => {
    const body = JSON.stringify(loadFixture('app_mention.event_callback.json'));
    const forged = await sendSigned(adapter.port!, body, { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await sendSigned(adapter.port!, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(handler.asks).toHaveLength(0);
    expect(slack.calls).toHaveLength(0);
  });

  it('answers the URL verification handshake', async () => {
    const fixture = loadFixture<{ challenge: string }>('url_verification.json');
    const res = await sendSigned(adapter.port!, JSON.stringify(fixture));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(fixture.challenge);
  });

  it('answers a DM in the DM, not in a thread', async () => {
    const body = JSON.stringify(loadFixture('message_im.event_callback.json'));
    await sendSigned(adapter.port!, body);
    const [post] = await slack.waitFor('chat.postMessage');
    expect(post!.params.channel).toBe('D024BE91L');
    expect(post!.params.thread_ts).toBeUndefined();
    expect(handler.asks[0]!.question.text).toBe('Hello hello can you hear me?');
    expect(handler.asks[0]!.question.conversation.id).toBe('D024BE91L');
  });

  it('ignores edits, bot messages and its own messages', async () => {
    const base = loadFixture<Envelope>('message_im.event_callback.json');
    const variants = [
      { subtype: 'message_changed' },
      { bot_id: 'B999', subtype: 'bot_message' },
      { bot_id: 'B999' },
      { user: BOT_USER },
    ];
    for (const [i, change] of variants.entries()) {
      const body = JSON.stringify({ ...base, event_id: `Ev-ignore-${i}`, event: { ...base.event, ts: `1355517523.00001${i}`, ...change } });
      expect((await sendSigned(adapter.port!, body)).status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(handler.asks).toHaveLength(0);
    expect(slack.calls).toHaveLength(0);
  });

  it('answers a plain thread reply only in a conversation the core says is active', async () => {
    const base = loadFixture<Envelope>('message_im.event_callback.json');
    const reply = (eventId: string, ts: string): string =>
      JSON.stringify({ ...base, event_id: eventId, event: { ...base.event, channel: 'C123ABC456', channel_type: 'channel', text: 'and in winter?', ts, thread_ts: '1515449522.000016' } });

    await sendSigned(adapter.port!, reply('Ev-thread-1', '1515449600.000100'));
    await new Promise((r) => setTimeout(r, 300));
    expect(handler.asks).toHaveLength(0);

    handler.active.add('C123ABC456:1515449522.000016');
    await sendSigned(adapter.port!, reply('Ev-thread-2', '1515449700.000200'));
    const [post] = await slack.waitFor('chat.postMessage');
    expect(post!.params.thread_ts).toBe('1515449522.000016');
    expect(handler.asks[0]!.question.conversation.id).toBe('C123ABC456:1515449522.000016');
  });

  it('answers a mention once even when Slack also delivers it as a channel message', async () => {
    handler.active.add('C123ABC456:1515449522.000016');
    const mention = loadFixture<Envelope>('app_mention.event_callback.json');
    const asMessage = { ...mention, event_id: 'Ev-as-message', event: { ...mention.event, type: 'message', channel_type: 'channel', thread_ts: '1515449522.000016' } };
    await sendSigned(adapter.port!, JSON.stringify(mention));
    await sendSigned(adapter.port!, JSON.stringify(asMessage));
    await slack.waitFor('chat.postMessage');
    await new Promise((r) => setTimeout(r, 300));
    expect(handler.asks).toHaveLength(1);
    expect(slack.of('chat.postMessage')).toHaveLength(1);
  });

  it('never lets <!channel> from a question or a document reach Slack unescaped', async () => {
    handler.answer = async (q) => sampleAnswer(q.text, {
      found: false,
      markdown: `Nothing about "${q.text}" in the documents.`,
      citations: [{ n: 1, passageId: 'x#0', documentId: 'x', title: 'Alert <!here> <@U999>', source: '<!everyone>', quote: 'Ping <!channel> now & <https://evil.example|click>' }],
    });
    const mention = loadFixture<Envelope>('app_mention.event_callback.json');
    // Slack sends a literal "<!channel>" the user typed as an entity-escaped broadcast; the question decodes it.
    const body = { ...mention, event: { ...mention.event, text: `<@${BOT_USER}> what about <!channel> and &lt;!here&gt;?` } };
    await sendSigned(adapter.port!, JSON.stringify(body));
    const [post] = await slack.waitFor('chat.postMessage');
    const everything = [...allText(post!.params.blocks), String(post!.params.text)].join('\n');
    expect(everything).not.toMatch(/<!(channel|here|everyone)/);
    expect(everything).not.toMatch(/<@U999>|<https:\/\/evil/);
    expect(everything).toContain('&lt;!channel&gt;');
    expect(everything).toContain('Not found in the documents');
  });

  it('turns a failure into one friendly line in the thread', async () => {
    handler.answer = async () => {
      throw new Error('index exploded: /secret/path');
    };
    await sendSigned(adapter.port!, JSON.stringify(loadFixture('app_mention.event_callback.json')));
    const [post] = await slack.waitFor('chat.postMessage');
    expect(post!.params.thread_ts).toBe('1515449522.000016');
    expect(String(post!.params.text)).toContain('Sorry, something went wrong');
    expect(JSON.stringify(post!.params)).not.toContain('/secret/path');
  });
});
