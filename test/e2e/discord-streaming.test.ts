// A streamed model answer end to end into Discord, wired entirely by the composition root:
// loadConfig → createCore (real openai SDK, api.openai.com answered by nock with SSE over time) and
// createAdapters (a real discord.js client whose REST and gateway are a local stand-in). The client logs
// in over the local gateway and receives a raw INTERACTION_CREATE for /ask built from the recorded
// Discord example; the deferred reply is edited with partial text, then with the cited answer.
import { PassThrough } from 'node:stream';
import nock from 'nock';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ChatAdapter } from '../../src/adapters/types.ts';
import { createAdapters } from '../../src/main.ts';
import { APP_ID, type FakeDiscord, type RecordedRequest, startFakeDiscord } from '../adapters/discord/fake-discord.ts';
import { commandPayload, limitProblems, visibleText } from '../adapters/discord/helpers.ts';
import { type E2eCore, startCore } from './helpers/core.ts';
import { nockStreamedCompletion, STREAM_DELTAS as DELTAS, STREAM_QUESTION as QUESTION } from './helpers/openai.ts';


let fake: FakeDiscord;
let e2e: E2eCore;
let adapters: ChatAdapter[];

beforeEach(async () => {
  fake = await startFakeDiscord();
  e2e = await startCore({
    OPENAI_API_KEY: 'sk-e2e-discord-key-0123456789abcdef',
    DISCORD_TOKEN: 'e2e-discord-bot-token',
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_REST_API_URL: fake.api,
  });
  adapters = await createAdapters(e2e.config, e2e.core.logger, { stdin: new PassThrough(), stdout: new PassThrough(), isTTY: false });
});

afterEach(async () => {
  for (const adapter of adapters) await adapter.stop();
  await fake.close();
  await e2e.close();
  nock.cleanAll();
});

const isEdit = (token: string) => (r: RecordedRequest) =>
  r.method === 'PATCH' && r.path === `/api/v10/webhooks/${APP_ID}/${token}/messages/@original`;

it('edits the deferred reply with partial text before the final edit with the cited answer', async () => {
  expect(adapters.map((a) => a.platform)).toEqual(['discord']);
  const [discord] = adapters;
  await discord!.start(e2e.core.handler);
  await expect.poll(() => e2e.logs.some((l) => l.msg === 'discord: connected'), { timeout: 5000 }).toBe(true);
  expect(fake.identifies[0]).toMatchObject({ token: 'e2e-discord-bot-token', intents: 1 });

  const openai = nockStreamedCompletion(DELTAS, 60);
  const raw = commandPayload('ask', [{ type: 3, name: 'question', value: QUESTION }]);
  fake.dispatch('INTERACTION_CREATE', raw);
  const token = raw.token as string;
  // The final edit is the one with the sources embed.
  await fake.waitFor((r) => isEdit(token)(r) && (r.body.embeds ?? []).some((e: { title?: string }) => e.title?.startsWith('Sources')), 8000);
  await discord!.stop();

  expect(openai.scope.isDone()).toBe(true);
  expect(openai.requests[0]?.body.stream).toBe(true);

  const mine = fake.requests.filter((r) => r.path.includes(token));
  expect(mine[0]).toMatchObject({ method: 'POST', path: `/api/v10/interactions/${raw.id}/${token}/callback`, body: { type: 5 } });
  const edits = mine.filter(isEdit(token));
  expect(edits.length).toBeGreaterThanOrEqual(2);
  const final = edits.at(-1)!;
  const partials = edits.slice(0, -1);

  // Partial text arrived while the model was writing: a prefix of the answer, without sources yet.
  const first = visibleText(partials[0]!.body);
  expect(first).toContain('Blinken');
  expect(first).not.toContain('moon base');
  for (const p of partials) {
    expect(p.body.embeds.some((e: { title?: string }) => e.title?.startsWith('Sources'))).toBe(false);
    expect(p.body.allowed_mentions).toEqual({ parse: [] });
    expect(limitProblems(p.body)).toEqual([]);
  }
  for (const e of edits) expect(visibleText(e.body)).not.toContain('[9]');

  // The final edit: the whole answer and its two sources, within Discord's limits, pinging nobody.
  const [main, sources] = final.body.embeds;
  expect(main.description).toBe(
    'Blinken proposed a power-sharing agreement between the Taliban and the Afghan government [1], and talks in Turkey [2]. He also offered a moon base.',
  );
  expect(sources.title).toBe('Sources (2)');
  expect(sources.description).toMatch(/\*\*\[1\]\*\* .+\n> /);
  expect(sources.description).toMatch(/\*\*\[2\]\*\* .+\n> /);
  expect(sources.description).not.toContain('**[3]**');
  expect(final.body.allowed_mentions).toEqual({ parse: [] });
  expect(limitProblems(final.body)).toEqual([]);
  expect(mine.filter((r) => r.method === 'POST' && !r.path.endsWith('/callback'))).toHaveLength(0); // no follow-ups
});
