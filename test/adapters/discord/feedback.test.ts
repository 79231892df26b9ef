/**
 * 👍/👎 feedback on Discord answers at the platform edge: a real discord.js Client (no login) with
 * REST pointed at the local recording server, fed raw INTERACTION_CREATE payloads (the `/ask`
 * command, then MESSAGE_COMPONENT clicks on the buttons it sent). Votes go through a hand-written
 * QuestionHandler into a real feedback store on an in-memory SQLite database.
 */
import type { Client } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../src/adapters/discord/client.ts';
import type { ChatAdapter } from '../../../src/adapters/types.ts';
import { openDatabase, type Db } from '../../../src/store/database.ts';
import { createFeedbackStore, type FeedbackStore } from '../../../src/store/feedback.ts';
import { APP_ID, type FakeDiscord, type RecordedRequest, startFakeDiscord } from './fake-discord.ts';
import {
  CHANNEL_ID,
  StoreBackedHandler,
  USER_ID,
  answer,
  buttonPayload,
  captureLogger,
  citation,
  commandPayload,
  limitProblems,
  messageFrom,
} from './helpers.ts';

type Adapter = ChatAdapter & { readonly client: Client };

const CLICKER_ID = '53908232506183680';

let fake: FakeDiscord;
let db: Db;
let store: FeedbackStore;
let handler: StoreBackedHandler;
let adapter: Adapter;
let logs: ReturnType<typeof captureLogger>;

function makeAdapter(over: { feedbackAckBudgetMs?: number } = {}): Adapter {
  return createDiscordAdapter({
    token: 'test-token',
    applicationId: APP_ID,
    restApiUrl: fake.api,
    logger: logs.logger,
    login: false,
    partialEditIntervalMs: 100,
    ...over,
  });
}

/** Feeds a raw INTERACTION_CREATE `d` through discord.js's own action (what the gateway handler calls). */
function feed(raw: Record<string, unknown>, to: Adapter = adapter): void {
  (to.client as unknown as { actions: { InteractionCreate: { handle(d: unknown): void } } }).actions.InteractionCreate.handle(raw);
}

const isCallback = (r: RecordedRequest) => r.method === 'POST' && r.path.endsWith('/callback');
const isEdit = (r: RecordedRequest) => r.method === 'PATCH' && r.path.endsWith('/messages/@original');
const isFollowUp = (r: RecordedRequest) => r.method === 'POST' && /^\/api\/v10\/webhooks\/\d+\/[^/]+$/.test(r.path);
const forToken = (raw: Record<string, unknown>) => (r: RecordedRequest) => r.path.includes(`/${raw.token as string}/`) || r.path.endsWith(`/${raw.token as string}`);
// biome-ignore lint/suspicious/noExplicitAny: raw JSON
const buttonsOf = (body: any): Array<{ type: number; style: number; custom_id: string; label: string; emoji: { name: string } }> =>
  // biome-ignore lint/suspicious/noExplicitAny: raw JSON
  (body?.components ?? []).flatMap((row: any) => row.components);

/** Runs `/ask` and resolves with the request that carried the buttons (edit or last follow-up). */
async function ask(question = 'When does the library open?', to: Adapter = adapter): Promise<RecordedRequest> {
  const raw = commandPayload('ask', [{ type: 3, name: 'question', value: question }]);
  feed(raw, to);
  return fake.waitFor((r) => forToken(raw)(r) && (isEdit(r) || isFollowUp(r)) && buttonsOf(r.body).length > 0);
}

/** Clicks the `vote` button of a message the bot sent, as `userId`; resolves with the click's payload. */
function click(sent: RecordedRequest, vote: 'up' | 'down', options: { userId?: string; askerId?: string; to?: Adapter } = {}): Record<string, unknown> {
  const button = buttonsOf(sent.body).find((b) => b.custom_id.startsWith(`bb:fb:${vote}:`));
  if (!button) throw new Error(`no ${vote} button in ${JSON.stringify(sent.body)}`);
  const raw = buttonPayload(button.custom_id, messageFrom(sent.body, { askerId: options.askerId }), { userId: options.userId ?? CLICKER_ID });
  feed(raw, options.to);
  return raw;
}

/** Every request that could carry text: each must disable mentions. */
function expectNoMentionsAnywhere(): void {
  const sent = fake.requests.filter((r) => isCallback(r) || isEdit(r) || isFollowUp(r));
  expect(sent.length).toBeGreaterThan(0);
  for (const r of sent) {
    if (isCallback(r) && r.body.type === 6) continue; // a bare acknowledgement carries no message
    const mentions = isCallback(r) ? r.body.data?.allowed_mentions : r.body.allowed_mentions;
    expect(mentions, `${r.method} ${r.path}`).toEqual({ parse: [] });
  }
}

beforeEach(async () => {
  fake = await startFakeDiscord();
  db = openDatabase({ dataDir: ':memory:' });
  store = createFeedbackStore({ db });
  handler = new StoreBackedHandler(store);
  logs = captureLogger();
  adapter = makeAdapter();
  await adapter.start(handler);
});

afterEach(async () => {
  await adapter.stop();
  await fake.close();
  db.close();
});

describe('feedback buttons', () => {
  it('the final edit of /ask carries a 👍 and a 👎 button with custom ids within 100 characters', async () => {
    const sent = await ask();
    expect(isEdit(sent)).toBe(true);
    expect(sent.body.components).toHaveLength(1);
    expect(sent.body.components[0].type).toBe(1);
    const [up, down] = buttonsOf(sent.body);
    expect(up).toMatchObject({ type: 2, emoji: { name: '👍' }, label: 'Helpful' });
    expect(down).toMatchObject({ type: 2, emoji: { name: '👎' }, label: 'Not helpful' });
    expect(up?.custom_id).toMatch(/^bb:fb:up:[\w-]{8}:When does the library open\?$/);
    expect(down?.custom_id).toMatch(/^bb:fb:down:[\w-]{8}:/);
    // The answer itself is unchanged: question as title, sources listed.
    expect(sent.body.embeds[0].title).toBe('When does the library open?');
    expect(sent.body.embeds[1].title).toBe('Sources (2)');
    await adapter.stop();
    expectNoMentionsAnywhere();
  });

  it('puts the buttons only under the last message of a split answer, within every limit', async () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} ${'explains the matter at length '.repeat(25)}[1].`);
    const question = `Why ${'really '.repeat(60)}does the library open late?`;
    handler.onAsk = async () => answer({ question, markdown: paragraphs.join('\n\n') });
    const sent = await ask(question);
    await adapter.stop();

    expect(isFollowUp(sent)).toBe(true);
    const messages = fake.requests.filter((r) => isEdit(r) || isFollowUp(r));
    expect(messages.length).toBeGreaterThan(2);
    expect(messages.filter((m) => buttonsOf(m.body).length > 0)).toEqual([messages[messages.length - 1]]);
    for (const m of messages) expect(limitProblems(m.body)).toEqual([]);
    for (const b of buttonsOf(sent.body)) expect(b.custom_id.length).toBeLessThanOrEqual(100);
  });

  it('a refusal (found: false) gets the buttons too, as on Slack', async () => {
    handler.onAsk = async (q) => answer({ question: q.text, found: false, confidence: 'low', markdown: 'The documents do not say.', citations: [] });
    const sent = await ask('Who won the 1930 World Cup?');
    expect(buttonsOf(sent.body).map((b) => b.emoji.name)).toEqual(['👍', '👎']);
  });
});

describe('a click', () => {
  it('is acknowledged with an ephemeral thank-you and stored with the question, answer and citations', async () => {
    const sent = await ask();
    const raw = click(sent, 'up');
    const ack = await fake.waitFor((r) => isCallback(r) && forToken(raw)(r));
    await adapter.stop();

    expect(ack.path).toBe(`/api/v10/interactions/${raw.id}/${raw.token}/callback`);
    expect(ack.body).toEqual({ type: 4, data: expect.objectContaining({ content: 'Thanks for the feedback! 👍', flags: 64 }) });
    const votes = store.list();
    expect(votes).toHaveLength(1);
    const expected = answer();
    expect(votes[0]).toMatchObject({
      conversation: { platform: 'discord', id: `${CHANNEL_ID}:u${USER_ID}` },
      userId: CLICKER_ID,
      vote: 'up',
      question: expected.question,
      answer: expected.markdown,
      citations: expected.citations,
    });
    // The click did not touch the answer message itself.
    expect(fake.requests.filter(isEdit)).toHaveLength(1);
    expectNoMentionsAnywhere();
  });

  it('records every click: a user changing their mind leaves both votes, newest first', async () => {
    const sent = await ask();
    const first = click(sent, 'up');
    await fake.waitFor((r) => isCallback(r) && forToken(first)(r));
    const second = click(sent, 'down');
    const ack = await fake.waitFor((r) => isCallback(r) && forToken(second)(r));
    await adapter.stop();

    expect(ack.body.data.content).toBe('Thanks for the feedback; it helps improve the answers. 👎');
    expect(store.list().map((v) => [v.userId, v.vote])).toEqual([
      [CLICKER_ID, 'down'],
      [CLICKER_ID, 'up'],
    ]);
  });

  it('after a restart (answer not in memory) still acknowledges and records what the message shows', async () => {
    handler.onAsk = async () =>
      answer({
        citations: [
          citation(1, { title: 'Opening *hours* [2025]', quote: 'The library opens at 9am on weekdays.' }),
          citation(2, { url: undefined, source: 'City Hall', quote: 'On Sundays it opens at noon.\nHolidays vary.' }),
        ],
      });
    const sent = await ask();
    await adapter.stop();

    // A new process: same store, empty memory.
    const restarted = makeAdapter();
    const freshHandler = new StoreBackedHandler(store);
    await restarted.start(freshHandler);
    const raw = click(sent, 'down', { askerId: USER_ID, to: restarted });
    const ack = await fake.waitFor((r) => isCallback(r) && forToken(raw)(r));
    await restarted.stop();

    expect(ack.body).toMatchObject({ type: 4, data: { flags: 64, content: 'Thanks for the feedback; it helps improve the answers. 👎' } });
    const [vote] = store.list();
    expect(vote).toMatchObject({
      conversation: { platform: 'discord', id: `${CHANNEL_ID}:u${USER_ID}` },
      userId: CLICKER_ID,
      vote: 'down',
      question: 'When does the library open?',
      answer: 'The library opens at 9am on weekdays [1] and at noon on Sundays [2].',
    });
    expect(vote?.citations).toEqual([
      { n: 1, passageId: '', documentId: '', title: 'Opening *hours* [2025]', source: 'Outlet 1', url: 'https://example.com/news/1', quote: 'The library opens at 9am on weekdays.' },
      { n: 2, passageId: '', documentId: '', title: 'Document 2', source: 'City Hall', quote: 'On Sundays it opens at noon.\nHolidays vary.' },
    ]);
    expect(logs.lines.some((l) => l.msg === 'discord: feedback on an answer not in memory; using what the message shows')).toBe(true);
    expectNoMentionsAnywhere();
  });

  it('for a split answer not in memory, takes the question from the button when the message does not show it', async () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} ${'explains the matter at length '.repeat(25)}[1].`);
    handler.onAsk = async () => answer({ question: 'Why is it closed on Mondays?', markdown: paragraphs.join('\n\n'), citations: [citation(1)] });
    const sent = await ask('Why is it closed on Mondays?');
    await adapter.stop();

    const restarted = makeAdapter();
    await restarted.start(new StoreBackedHandler(store));
    const raw = click(sent, 'up', { to: restarted });
    await fake.waitFor((r) => isCallback(r) && forToken(raw)(r));
    await restarted.stop();

    const [vote] = store.list();
    expect(vote?.question).toBe('Why is it closed on Mondays?');
    // Without interaction metadata the channel is the conversation.
    expect(vote?.conversation).toEqual({ platform: 'discord', id: CHANNEL_ID });
    expect(vote?.citations.map((c) => [c.n, c.title, c.url])).toEqual([[1, 'Document 1', 'https://example.com/news/1']]);
  });

  it('acknowledges first (deferred, ephemeral) when storing is slow, then says thanks', async () => {
    await adapter.stop();
    adapter = makeAdapter({ feedbackAckBudgetMs: 30 });
    handler = new StoreBackedHandler(store);
    handler.beforeRecord = () => new Promise((r) => setTimeout(r, 200));
    await adapter.start(handler);

    const sent = await ask();
    const raw = click(sent, 'up');
    const thanks = await fake.waitFor((r) => isEdit(r) && forToken(raw)(r));
    await adapter.stop();

    const ack = fake.requests.find((r) => isCallback(r) && forToken(raw)(r));
    expect(ack?.body).toEqual({ type: 5, data: { flags: 64, allowed_mentions: { parse: [] } } });
    expect(fake.requests.indexOf(ack as RecordedRequest)).toBeLessThan(fake.requests.indexOf(thanks));
    expect(thanks.body.content).toBe('Thanks for the feedback! 👍');
    expect(store.list()).toHaveLength(1);
    expectNoMentionsAnywhere();
  });

  it('apologises ephemerally when the vote cannot be stored, and logs why', async () => {
    handler.beforeRecord = async () => {
      throw new Error('database is locked');
    };
    const sent = await ask();
    const raw = click(sent, 'up');
    const ack = await fake.waitFor((r) => isCallback(r) && forToken(raw)(r));
    await adapter.stop();

    expect(ack.body).toMatchObject({ type: 4, data: { flags: 64, content: 'Sorry, that feedback could not be recorded.' } });
    expect(store.list()).toHaveLength(0);
    expect(JSON.stringify(logs.lines.find((l) => l.msg === 'discord: recording feedback failed'))).toContain('database is locked');
  });

  it('drops a redelivered click (same interaction id) instead of recording it twice', async () => {
    const sent = await ask();
    const raw = click(sent, 'up');
    await fake.waitFor((r) => isCallback(r) && forToken(raw)(r));
    feed(structuredClone(raw));
    await adapter.stop();
    expect(store.list()).toHaveLength(1);
    expect(fake.requests.filter((r) => isCallback(r) && forToken(raw)(r))).toHaveLength(1);
  });

  it('answers a button it does not know politely, recording nothing', async () => {
    const sent = await ask();
    const raw = buttonPayload('some-old-button', messageFrom(sent.body));
    feed(raw);
    const ack = await fake.waitFor((r) => isCallback(r) && forToken(raw)(r));
    await adapter.stop();
    expect(ack.body).toMatchObject({ type: 4, data: { flags: 64, content: 'This button is no longer in use.' } });
    expect(store.list()).toHaveLength(0);
  });
});

describe('post()', () => {
  it('an answer posted to a channel carries the buttons; a click records it for that channel', async () => {
    const to = adapter.channelRef(CHANNEL_ID);
    await adapter.post(to, answer());
    const posted = fake.requests.find((r) => r.method === 'POST' && r.path === `/api/v10/channels/${CHANNEL_ID}/messages`);
    expect(posted?.body.allowed_mentions).toEqual({ parse: [] });
    expect(buttonsOf(posted?.body)).toHaveLength(2);

    const raw = click(posted as RecordedRequest, 'up');
    await fake.waitFor((r) => isCallback(r) && forToken(raw)(r));
    await adapter.stop();
    expect(store.list()[0]).toMatchObject({ conversation: to, vote: 'up', question: answer().question, citations: answer().citations });
  });
});
