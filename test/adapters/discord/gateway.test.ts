/**
 * The same /ask path reached through the client's real gateway handling: the adapter logs in
 * (GET /gateway/bot on the local REST server, then a WebSocket to the local gateway: HELLO →
 * IDENTIFY → READY), and INTERACTION_CREATE arrives as a dispatch packet over that socket.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../src/adapters/discord/client.ts';
import { APP_ID, type FakeDiscord, startFakeDiscord } from './fake-discord.ts';
import { FakeHandler, captureLogger, commandPayload } from './helpers.ts';

let fake: FakeDiscord;

beforeEach(async () => {
  fake = await startFakeDiscord();
});

afterEach(async () => {
  await fake.close();
});

it('logs in with only the Guilds intent, logs ready, and answers /ask dispatched over the gateway', async () => {
  const handler = new FakeHandler();
  const logs = captureLogger();
  const adapter = createDiscordAdapter({ token: 'test-token', applicationId: APP_ID, restApiUrl: fake.api, logger: logs.logger });
  try {
    await adapter.start(handler);
    await expect.poll(() => logs.lines.find((l) => l.msg === 'discord: connected'), { timeout: 5000 }).toBeTruthy();

    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]).toMatchObject({ token: 'test-token', intents: 1 });
    expect(logs.lines.find((l) => l.msg === 'discord: connected')).toMatchObject({ tag: 'briefbot#4242', guilds: 0, applicationId: APP_ID });

    const raw = commandPayload('ask', [{ type: 3, name: 'question', value: 'When does the library open?' }]);
    fake.dispatch('INTERACTION_CREATE', raw);

    const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/api/v10/webhooks/${APP_ID}/${raw.token}/messages/@original`);
    expect(fake.requests.find((r) => r.path.endsWith('/callback'))?.body).toMatchObject({ type: 5 });
    expect(edit.body.embeds[0].description).toBe('The library opens at 9am on weekdays [1] and at noon on Sundays [2].');
    expect(edit.body.embeds[1].description).toContain('[Document 1](<https://example.com/news/1>)');
    expect(handler.asks[0]?.question.text).toBe('When does the library open?');
  } finally {
    await adapter.stop();
  }
});

it('logs a resumed session and a disconnect that will not reconnect', async () => {
  const logs = captureLogger();
  const adapter = createDiscordAdapter({ token: 'test-token', applicationId: APP_ID, restApiUrl: fake.api, logger: logs.logger });
  try {
    await adapter.start(new FakeHandler());
    await expect.poll(() => logs.lines.some((l) => l.msg === 'discord: connected'), { timeout: 5000 }).toBe(true);

    fake.disconnect(4000); // "unknown error": resumable
    await expect.poll(() => logs.lines.find((l) => l.msg === 'discord: resumed'), { timeout: 5000 }).toBeTruthy();
    expect(fake.resumes[0]).toMatchObject({ token: 'test-token', session_id: 'fake-session' });

    fake.disconnect(4004); // authentication failed: fatal
    await expect
      .poll(() => logs.lines.find((l) => l.msg === 'discord: disconnected and will not reconnect'), { timeout: 5000 })
      .toMatchObject({ code: 4004, level: 40 });
  } finally {
    await adapter.stop();
  }
});

it('fails start with a clear error when Discord rejects the token', async () => {
  fake.override = (r) => (r.path === '/api/v10/gateway/bot' ? { status: 401, body: { message: '401: Unauthorized', code: 0 } } : undefined);
  const adapter = createDiscordAdapter({ token: 'bad-token', applicationId: APP_ID, restApiUrl: fake.api, logger: captureLogger().logger });
  try {
    await expect(adapter.start(new FakeHandler())).rejects.toThrow(/DISCORD_TOKEN/);
  } finally {
    await adapter.stop();
  }
});
