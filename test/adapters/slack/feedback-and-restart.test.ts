// 👍/👎 clicks recorded through a real feedback store, and durable dedupe across a restart on a
// real SQLite file, both through a real Bolt App receiving signed requests on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/app.ts';
import { silentLogger } from '../../../src/logger.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { createDeliveryLog } from '../../../src/store/deliveries.ts';
import { createFeedbackStore } from '../../../src/store/feedback.ts';
import { type FakeSlackApi, type SlackCall, startFakeSlackApi } from './fake-slack-api.ts';
import { citations, loadFixture, RecordingHandler, SIGNING_SECRET, sendSigned } from './support.ts';

let slack: FakeSlackApi;
const adapters: SlackAdapter[] = [];
const dirs: string[] = [];

async function startAdapter(handler: RecordingHandler): Promise<SlackAdapter> {
  const adapter = createSlackAdapter({
    botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1', apiUrl: slack.apiUrl,
    logger: silentLogger(), botId: 'B0BRIEF01', botUserId: 'U0LAN0Z89',
  });
  await adapter.start(handler);
  adapters.push(adapter);
  return adapter;
}

beforeEach(async () => {
  slack = await startFakeSlackApi();
});

afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.stop();
  await slack.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A block_actions click on the button `actionId` of the posted answer `post` (fields per Slack's payload reference). */
function click(post: SlackCall, ts: string, actionId: string, responseUrl: string): string {
  const blocks = post.params.blocks as Array<{ type: string; block_id?: string; elements?: Array<{ action_id: string; value: string }> }>;
  const actions = blocks.find((b) => b.type === 'actions')!;
  const button = actions.elements!.find((e) => e.action_id === actionId)!;
  const payload = {
    type: 'block_actions',
    user: { id: 'U061F7AUR', username: 'river.fan', name: 'river.fan', team_id: 'T123ABC456' },
    api_app_id: 'A123ABC456',
    token: 'XXYYZZ',
    container: { type: 'message', message_ts: ts, channel_id: 'C123ABC456', is_ephemeral: false, thread_ts: '1515449522.000016' },
    trigger_id: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
    team: { id: 'T123ABC456', domain: 'riverside' },
    channel: { id: 'C123ABC456', name: 'rivers' },
    message: { type: 'message', user: 'U0LAN0Z89', bot_id: 'B0BRIEF01', ts, thread_ts: '1515449522.000016', text: post.params.text, blocks },
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: actionId, block_id: actions.block_id, text: { type: 'plain_text', text: 'x' }, value: button.value, action_ts: '1515449999.000001' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

describe('Slack feedback buttons', () => {
  it('stores a click with the question, answer and citations, and thanks the user', async () => {
    const store = createFeedbackStore({ db: openDatabase({ dataDir: ':memory:' }) });
    const handler = new RecordingHandler();
    handler.onVote = (vote) => store.record(vote);
    const adapter = await startAdapter(handler);

    await sendSigned(adapter.port!, JSON.stringify(loadFixture('app_mention.event_callback.json')));
    const [post] = await slack.waitFor('chat.postMessage');
    const ts = '1700000000.000001'; // the fake's first ts
    const body = click(post!, ts, 'briefbot_feedback_up', `${slack.origin}/response/actions/1`);
    const res = await sendSigned(adapter.port!, body, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);

    const [thanks] = await slack.waitFor('response_url');
    expect(thanks!.params).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(thanks!.params.text)).toContain('Thanks for the feedback');
    const [vote] = store.list();
    expect(vote).toMatchObject({
      conversation: { platform: 'slack', id: 'C123ABC456:1515449522.000016' },
      userId: 'U061F7AUR',
      vote: 'up',
      question: 'is it everything a river should be?',
      answer: 'A river should be **wide and deep** [1], and its delta floods each spring [2].',
      citations,
    });
  });

  it('still records a click after a restart, from the button value alone', async () => {
    const store = createFeedbackStore({ db: openDatabase({ dataDir: ':memory:' }) });
    const first = await startAdapter(new RecordingHandler());
    await sendSigned(first.port!, JSON.stringify(loadFixture('app_mention.event_callback.json')));
    const [post] = await slack.waitFor('chat.postMessage');

    const handler = new RecordingHandler();
    handler.onVote = (vote) => store.record(vote);
    const second = await startAdapter(handler); // a new process: no memory of the answer
    const body = click(post!, '1700000000.000001', 'briefbot_feedback_down', `${slack.origin}/response/actions/2`);
    await sendSigned(second.port!, body, { contentType: 'application/x-www-form-urlencoded' });
    await slack.waitFor('response_url');
    const [vote] = store.list();
    expect(vote?.vote).toBe('down');
    expect(vote?.question).toBe('is it everything a river should be?');
    expect(vote?.citations.map((c) => [c.n, c.passageId, c.quote])).toEqual(citations.map((c) => [c.n, c.passageId, c.quote]));
  });
});

describe('Slack durable dedupe', () => {
  it('drops a retry that arrives after a restart (new adapter, new delivery log, same SQLite file)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'briefbot-slack-'));
    dirs.push(dir);
    const body = JSON.stringify(loadFixture('app_mention.event_callback.json'));

    const db1 = openDatabase({ dataDir: dir });
    const handler1 = new RecordingHandler();
    const log1 = createDeliveryLog({ db: db1 });
    handler1.claimWith = (id) => log1.claim(id);
    const first = await startAdapter(handler1);
    await sendSigned(first.port!, body);
    await slack.waitFor('chat.postMessage');
    await first.stop();
    db1.close();

    const db2 = openDatabase({ dataDir: dir });
    const handler2 = new RecordingHandler();
    const log2 = createDeliveryLog({ db: db2 });
    handler2.claimWith = (id) => log2.claim(id);
    const second = await startAdapter(handler2);
    const retry = await sendSigned(second.port!, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(handler2.asks).toHaveLength(0);
    expect(slack.of('chat.postMessage')).toHaveLength(1);
    expect(log2.claim('slack:event:Ev123ABC456')).toBe(false);
    db2.close();
  });
});
