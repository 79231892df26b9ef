/**
 * The Discord adapter end to end at the platform edge: a real discord.js Client (no login) whose
 * REST points at a local recording server, fed raw INTERACTION_CREATE payloads built from the
 * Discord docs' example interaction. The core is a recording fake QuestionHandler.
 */
import type { Client } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../src/adapters/discord/client.ts';
import type { ChatAdapter } from '../../../src/adapters/types.ts';
import { BriefbotError, FRIENDLY_FAILURE } from '../../../src/errors.ts';
import { APP_ID, type FakeDiscord, type RecordedRequest, startFakeDiscord } from './fake-discord.ts';
import {
  CHANNEL_ID,
  FakeHandler,
  USER_ID,
  answer,
  briefing,
  captureLogger,
  citation,
  commandPayload,
  limitProblems,
  visibleText,
} from './helpers.ts';

let fake: FakeDiscord;
let handler: FakeHandler;
let adapter: ChatAdapter & { readonly client: Client };
let logs: ReturnType<typeof captureLogger>;

/** Feeds a raw INTERACTION_CREATE `d` through discord.js's own action (what the gateway handler calls). */
function feed(raw: Record<string, unknown>): void {
  (adapter.client as unknown as { actions: { InteractionCreate: { handle(d: unknown): void } } }).actions.InteractionCreate.handle(raw);
}

/** Waits until every interaction in progress is handled (stop drains them), then lists requests. */
async function settle(): Promise<RecordedRequest[]> {
  await adapter.stop();
  return fake.requests;
}

const isCallback = (r: RecordedRequest) => r.method === 'POST' && r.path.endsWith('/callback');
const isEdit = (r: RecordedRequest) => r.method === 'PATCH' && r.path.endsWith('/messages/@original');
const isFollowUp = (r: RecordedRequest) => r.method === 'POST' && /^\/api\/v10\/webhooks\/\d+\/[^/]+$/.test(r.path);

beforeEach(async () => {
  fake = await startFakeDiscord();
  handler = new FakeHandler();
  logs = captureLogger();
  adapter = createDiscordAdapter({
    token: 'test-token',
    applicationId: APP_ID,
    restApiUrl: fake.api,
    logger: logs.logger,
    login: false,
    partialEditIntervalMs: 100,
  });
  await adapter.start(handler);
});

afterEach(async () => {
  await adapter.stop();
  await fake.close();
});

describe('/ask', () => {
  it('defers at once, then edits the reply with the answer and its citations', async () => {
    const raw = commandPayload('ask', [{ type: 3, name: 'question', value: 'When does the library open?' }]);
    feed(raw);
    const requests = await settle();

    const defer = requests.find(isCallback);
    expect(defer?.path).toBe(`/api/v10/interactions/${raw.id}/${raw.token}/callback`);
    expect(defer?.body).toMatchObject({ type: 5, data: { flags: 0 } });
    expect(requests.indexOf(defer as RecordedRequest)).toBe(0);

    const edits = requests.filter(isEdit);
    expect(edits).toHaveLength(1);
    const edit = edits[0];
    expect(edit?.path).toBe(`/api/v10/webhooks/${APP_ID}/${raw.token}/messages/@original`);
    const [main, sources] = edit?.body.embeds ?? [];
    expect(main.title).toBe('When does the library open?');
    expect(main.description).toBe('The library opens at 9am on weekdays [1] and at noon on Sundays [2].');
    expect(sources.title).toBe('Sources (2)');
    expect(sources.description).toContain('**[1]** [Document 1](<https://example.com/news/1>) — *Outlet 1*');
    expect(sources.description).toContain('> The library opens at 9am on weekdays.');
    expect(sources.description).toContain('**[2]** [Document 2](<https://example.com/news/2>)');
    expect(sources.footer.text).toContain('Confidence: high');

    expect(handler.asks).toHaveLength(1);
    expect(handler.asks[0]?.question).toEqual({
      text: 'When does the library open?',
      conversation: { platform: 'discord', id: `${CHANNEL_ID}:u${USER_ID}` },
      userId: USER_ID,
    });
    expect(requests.filter(isFollowUp)).toHaveLength(0);
  });

  it('private:true makes the reply ephemeral at defer time', async () => {
    feed(
      commandPayload('ask', [
        { type: 3, name: 'question', value: 'When does the library open?' },
        { type: 5, name: 'private', value: true },
      ]),
    );
    const requests = await settle();
    expect(requests.find(isCallback)?.body.data.flags).toBe(64);
    expect(requests.filter(isEdit)).toHaveLength(1);
  });

  it('delivers an answer longer than every limit whole, across follow-ups that each respect the limits', async () => {
    const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} says ${'something important '.repeat(30)}[${(i % 40) + 1}].`);
    const citations = Array.from({ length: 40 }, (_, i) =>
      citation(i + 1, { title: `Title ${i + 1} ${'x'.repeat(300)}`, quote: `Quote ${i + 1}: ${'evidence '.repeat(150)}end-of-quote-${i + 1}` }),
    );
    const long = answer({ question: `Q ${'why '.repeat(400)}`, markdown: paragraphs.join('\n\n'), citations });
    handler.onAsk = async () => long;
    feed(
      commandPayload('ask', [
        { type: 3, name: 'question', value: 'a long one' },
        { type: 5, name: 'private', value: true },
      ]),
    );
    const requests = await settle();

    const messages = requests.filter((r) => isEdit(r) || isFollowUp(r));
    expect(messages.length).toBeGreaterThan(3);
    for (const m of messages) expect(limitProblems(m.body)).toEqual([]);
    for (const m of requests.filter(isFollowUp)) expect(m.body.flags).toBe(64);

    const all = messages.map((m) => visibleText(m.body)).join('\n').replace(/\s+/g, ' ');
    for (const p of paragraphs) expect(all).toContain(p.replace(/\s+/g, ' ').trim());
    for (let i = 1; i <= 40; i++) {
      expect(all).toContain(`end-of-quote-${i}`);
      expect(all).toContain(`**[${i}]** [Title ${i}`);
    }
    // Sources come after the whole answer text.
    expect(all.indexOf('Paragraph 59')).toBeLessThan(all.indexOf('**[1]**'));
  });

  it('never lets echoed @everyone, @here or role mentions ping anyone', async () => {
    const question = '@everyone @here <@&539082325061836999> is the office closed?';
    handler.onAsk = async (q) => answer({ question: q.text, markdown: `You asked: ${q.text} [1]`, citations: [citation(1, { quote: '@everyone the office is closed.' })] });
    feed(commandPayload('ask', [{ type: 3, name: 'question', value: question }]));
    const requests = await settle();

    const sent = requests.filter((r) => isCallback(r) || isEdit(r) || isFollowUp(r));
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const r of sent) {
      const mentions = isCallback(r) ? r.body.data.allowed_mentions : r.body.allowed_mentions;
      expect(mentions).toEqual({ parse: [] });
    }
    expect(visibleText(requests.find(isEdit)?.body)).toContain('@everyone');
  });

  it('turns a core failure into one friendly edited reply and logs the cause', async () => {
    handler.onAsk = async () => {
      throw new Error('index exploded', { cause: new Error('disk full') });
    };
    feed(commandPayload('ask', [{ type: 3, name: 'question', value: 'anything?' }]));
    const requests = await settle();

    const edits = requests.filter(isEdit);
    expect(edits).toHaveLength(1);
    expect(edits[0]?.body.content).toBe(FRIENDLY_FAILURE);
    expect(edits[0]?.body.embeds).toEqual([]);
    const logged = logs.lines.find((l) => l.msg === 'discord: command failed');
    expect(JSON.stringify(logged)).toContain('index exploded');
    expect(JSON.stringify(logged)).toContain('disk full');
  });

  it('shows a BriefbotError its own message', async () => {
    handler.onAsk = async () => {
      throw new BriefbotError('MODEL_FAILED', 'The model is unavailable right now; try again in a minute.');
    };
    feed(commandPayload('ask', [{ type: 3, name: 'question', value: 'anything?' }]));
    const requests = await settle();
    expect(requests.find(isEdit)?.body.content).toBe('The model is unavailable right now; try again in a minute.');
  });

  it('streams partial text into throttled edits of the reply, then the final embeds last', async () => {
    const words = 'The library opens at nine on weekdays and at noon on Sundays'.split(' ');
    handler.onAsk = async (_q, options) => {
      let text = '';
      for (const word of words) {
        text += `${word} `;
        options?.onPartial?.(text);
        await new Promise((r) => setTimeout(r, 25));
      }
      return answer();
    };
    feed(commandPayload('ask', [{ type: 3, name: 'question', value: 'When does the library open?' }]));
    const requests = await settle();

    const edits = requests.filter(isEdit);
    const partials = edits.filter((e) => e.body.embeds?.[0]?.footer?.text?.startsWith('Writing'));
    expect(partials.length).toBeGreaterThanOrEqual(2);
    expect(partials.length).toBeLessThan(words.length);
    expect(partials[0]?.body.embeds[0].description).toMatch(/^The/);
    for (const p of partials) expect(p.body.allowed_mentions).toEqual({ parse: [] });
    const last = edits[edits.length - 1];
    expect(last?.body.embeds[1].title).toBe('Sources (2)');
    expect(edits.indexOf(last as RecordedRequest)).toBe(partials.length);
  });

  it('does not loop when Discord rejects the edit: one friendly attempt, then it gives up', async () => {
    fake.override = (r) => (isEdit(r) ? { status: 400, body: { message: 'Invalid Form Body', code: 50035 } } : undefined);
    const raw = commandPayload('ask', [{ type: 3, name: 'question', value: 'anything?' }]);
    feed(raw);
    const requests = await settle();
    await new Promise((r) => setTimeout(r, 200));
    expect(requests.filter(isEdit)).toHaveLength(2);
    expect(requests.filter(isEdit)[1]?.body.content).toBe(FRIENDLY_FAILURE);
    expect(logs.lines.some((l) => l.msg === 'discord: interaction failed')).toBe(true);
    // The interaction token (a 15-minute credential) is in the failing URL but never in the logs.
    expect(JSON.stringify(logs.lines)).toContain('[REDACTED]');
    expect(JSON.stringify(logs.lines)).not.toContain(raw.token as string);
  });
});

describe('rate limits', () => {
  it('leaves a 429 to discord.js, which waits and retries once; the adapter sends the edit once', async () => {
    // Shape of discord-api-docs' "Exceeded User Rate Limit" example (test/fixtures: rate_limit_429.user.json
    // in ../shared), with a 50 ms wait instead of 65 s so the test stays short.
    let limited = false;
    fake.override = (r) => {
      if (!isEdit(r) || limited) return undefined;
      limited = true;
      return {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: 0.05, global: false },
        headers: { 'retry-after': '1', 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '0.05', 'x-ratelimit-bucket': 'abcd1234', 'x-ratelimit-scope': 'user' },
      };
    };
    feed(commandPayload('ask', [{ type: 3, name: 'question', value: 'When does the library open?' }]));
    const requests = await settle();
    const edits = requests.filter(isEdit);
    expect(edits).toHaveLength(2);
    expect(edits[1]?.body).toEqual(edits[0]?.body);
    expect(edits[1]?.body.embeds[1].title).toBe('Sources (2)');
    expect(logs.lines.some((l) => l.msg === 'discord: interaction failed')).toBe(false);
  });
});

describe('/sources', () => {
  it('lists the top passages with titles and quotes, without asking for an answer', async () => {
    handler.onSources = async () => [
      citation(1, { title: 'Opening hours', quote: 'The library opens at 9am.' }),
      citation(2, { title: 'Holiday [closures]', url: undefined, quote: 'Closed on *public* holidays, see [here](https://evil.example).' }),
    ];
    feed(commandPayload('sources', [{ type: 3, name: 'query', value: 'opening hours' }]));
    const requests = await settle();

    expect(handler.sourceCalls).toEqual([{ query: 'opening hours', limit: 5 }]);
    expect(handler.asks).toHaveLength(0);
    const embed = requests.find(isEdit)?.body.embeds[0];
    expect(embed.title).toBe('Sources for “opening hours”');
    expect(embed.description).toContain('**[1]** [Opening hours](<https://example.com/news/1>)');
    expect(embed.description).toContain('> The library opens at 9am.');
    // Document text cannot format or hide a link: markdown is escaped.
    expect(embed.description).toContain('**[2]** **Holiday \\[closures\\]**');
    expect(embed.description).toContain('\\*public\\*');
    expect(embed.description).toContain('see \\[here\\](https://evil.example)');
  });

  it('says so plainly when nothing matches', async () => {
    handler.onSources = async () => [];
    feed(commandPayload('sources', [{ type: 3, name: 'query', value: 'zebras' }]));
    const requests = await settle();
    expect(requests.find(isEdit)?.body.embeds[0].description).toBe('No passage matches that query.');
  });
});

describe('/brief', () => {
  it('show renders one embed per story with sources, disagreements and ingestion health', async () => {
    feed(commandPayload('brief', [{ type: 1, name: 'show', options: [] }]));
    const requests = await settle();

    expect(handler.briefs).toEqual([{ conversation: { platform: 'discord', id: CHANNEL_ID }, command: { kind: 'show' } }]);
    expect(requests.find(isCallback)?.body.data.flags).toBe(0);
    const body = requests.find(isEdit)?.body;
    const [story, health] = body.embeds;
    expect(story.title).toBe('Harbour bridge reopens after repairs');
    expect(story.description).toContain('*2 sources: Reuters, AP*');
    expect(story.description).toContain('The harbour bridge reopened after six weeks of repairs [1] [2].');
    expect(story.description).toContain('**Sources disagree** — the day it reopened');
    expect(story.description).toContain('**[1]** Reuters: “The bridge reopened on Monday.”');
    expect(story.description).toContain('**[2]** AP: “The bridge reopened on Tuesday.”');
    expect(health.title).toBe('Ingestion');
    expect(health.description).toContain('12 documents included.');
    expect(health.description).toContain('`broken.html` — not valid UTF-8');
    expect(health.timestamp).toBe('2025-11-20T08:00:00.000Z');
  });

  it('subscribe passes cron and timezone for this channel and answers privately', async () => {
    handler.onBrief = async () => ({ message: 'Subscribed: weekdays at 08:00 Europe/Berlin.' });
    feed(
      commandPayload('brief', [
        {
          type: 1,
          name: 'subscribe',
          options: [
            { type: 3, name: 'cron', value: '0 8 * * 1-5' },
            { type: 3, name: 'timezone', value: 'Europe/Berlin' },
          ],
        },
      ]),
    );
    const requests = await settle();
    expect(handler.briefs[0]?.command).toEqual({ kind: 'subscribe', cron: '0 8 * * 1-5', timezone: 'Europe/Berlin' });
    expect(handler.briefs[0]?.conversation).toEqual(adapter.channelRef(CHANNEL_ID));
    expect(requests.find(isCallback)?.body.data.flags).toBe(64);
    expect(requests.find(isEdit)?.body.content).toBe('Subscribed: weekdays at 08:00 Europe/Berlin.');
  });

  it('refuses schedule changes from members without Manage Channels', async () => {
    feed(commandPayload('brief', [{ type: 1, name: 'unsubscribe', options: [] }], { permissions: '1024' }));
    const requests = await settle();
    expect(handler.briefs).toHaveLength(0);
    expect(requests.find(isEdit)?.body.content).toContain('Manage Channels');
  });
});

describe('post()', () => {
  it('posts a briefing to a channel, split to the limits, with mentions disabled', async () => {
    const stories = Array.from({ length: 14 }, (_, i) => ({
      ...briefing().stories[0],
      headline: `Story ${i} ${'headline '.repeat(40)}`,
      summary: `Summary ${i}: ${'words '.repeat(500)}@everyone`,
    })) as ReturnType<typeof briefing>['stories'];
    const ref = adapter.channelRef('645027906669510667');
    const posted = await adapter.post(ref, briefing({ stories }));

    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v10/channels/645027906669510667/messages');
    expect(posts.length).toBeGreaterThan(1);
    for (const p of posts) {
      expect(limitProblems(p.body)).toEqual([]);
      expect(p.body.allowed_mentions).toEqual({ parse: [] });
    }
    const titles = posts.flatMap((p) => p.body.embeds.map((e: { title?: string }) => e.title)).filter(Boolean);
    for (let i = 0; i < 14; i++) expect(titles.some((t: string) => t.startsWith(`Story ${i} `))).toBe(true);
    expect(posted.conversation).toEqual(ref);
    expect(posted.messageId).toMatch(/^\d+$/);
  });

  it('rejects a channel id that is not a snowflake with a clear error', () => {
    expect(() => adapter.channelRef('#general')).toThrow(/not a Discord channel id/);
  });
});
