// The briefing loop in Slack, wired as `briefbot start` wires it: createCore receives the running
// adapters lazily, so `/brief now` (a signed slash command to the real Bolt HTTP receiver) posts the
// briefing into the channel through the Slack adapter and records it. A plain reply in the briefing's
// thread is then answered from the briefing's documents, and a second `/brief now` has nothing new.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SlackAdapter } from '../../src/adapters/slack/app.ts';
import type { ChatAdapter } from '../../src/adapters/types.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../adapters/slack/fake-slack-api.ts';
import { allText, commandBody, loadFixture, SIGNING_SECRET, sendSigned } from '../adapters/slack/support.ts';
import { type E2eCore, startCore } from './helpers/core.ts';
import { slackAdapterFor } from './helpers/slack.ts';

const CHANNEL = 'G8PSS9T3V'; // the channel of the recorded slash-command form
const FORM = 'application/x-www-form-urlencoded';

let slack: FakeSlackApi;
let e2e: E2eCore;
let adapter: SlackAdapter;

beforeEach(async () => {
  slack = await startFakeSlackApi();
  let adapters: ChatAdapter[] = [];
  e2e = await startCore(
    { SLACK_BOT_TOKEN: 'xoxb-e2e-loop-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' },
    { adapters: () => adapters },
  );
  adapter = slackAdapterFor(e2e);
  adapters = [adapter];
  await adapter.start(e2e.core.handler);
});

afterEach(async () => {
  await adapter.stop();
  await slack.close();
  await e2e.close();
});

async function briefNow(): Promise<Response> {
  return sendSigned(adapter.port!, commandBody('/brief', 'now', `${slack.origin}/response/T1DC2JH3J/1/abc`, CHANNEL), { contentType: FORM });
}

it('/brief now posts into the channel, a reply in its thread is answered from it, and a second /brief now has nothing new', async () => {
  const ack = await briefNow();
  expect(ack.status).toBe(200);
  expect(await ack.json()).toMatchObject({ response_type: 'ephemeral' });

  // Posted through the adapter (chat.postMessage in the channel), confirmed ephemerally via response_url.
  const [confirmation] = await slack.waitFor('response_url');
  expect(confirmation!.params).toMatchObject({ response_type: 'ephemeral', text: 'Posted a briefing with 1 story.' });
  const posts = slack.of('chat.postMessage');
  expect(posts.length).toBeGreaterThanOrEqual(1);
  expect(posts[0]!.params.channel).toBe(CHANNEL);
  expect(posts[0]!.params.thread_ts).toBeUndefined();
  const briefingTs = '1700000000.000001';
  const posted = allText(posts.flatMap((p) => p.params.blocks)).join('\n');
  expect(posted).toContain('Sources differ');
  expect(posted).toContain('NBC News');

  // A plain reply in the briefing's thread, no mention: the core knows the thread and answers in it.
  const reply = loadFixture<{ event: Record<string, string>; event_id: string }>('message_im.event_callback.json');
  Object.assign(reply.event, {
    channel: CHANNEL,
    channel_type: 'group',
    thread_ts: briefingTs,
    ts: '1700000100.000200',
    event_ts: '1700000100.000200',
    text: 'What did the letter propose for the Taliban?',
  });
  reply.event_id = 'Ev0E2ETHREAD1';
  expect((await sendSigned(adapter.port!, JSON.stringify(reply))).status).toBe(200);
  const [, answerPost] = await slack.waitFor('chat.postMessage', 2);
  expect(answerPost!.params).toMatchObject({ channel: CHANNEL, thread_ts: briefingTs });
  const answer = allText(answerPost!.params.blocks).join('\n');
  expect(answer).toContain('*Sources*');
  expect(answer).toContain('*[1]*');
  expect(answer).toMatch(/Taliban/);
  expect(e2e.logs.find((l) => l.msg === 'Answered a Slack message')).toMatchObject({ conversation: `${CHANNEL}:${briefingTs}`, found: true });

  // Nothing changed since: the second /brief now posts nothing and says so.
  const postsBefore = slack.of('chat.postMessage').length;
  await briefNow();
  const confirmations = await slack.waitFor('response_url', 2);
  expect(confirmations[1]!.params.text).toBe('No new or changed documents since the last briefing here, so there is nothing to post.');
  expect(slack.of('chat.postMessage')).toHaveLength(postsBefore);
});
