/**
 * Slash-command registration against a local REST server that stores commands the way Discord
 * returns them (ids, versions and defaults added, `required: false` omitted).
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/adapters/discord/commands.ts';
import { registerCommands } from '../../../src/adapters/discord/register.ts';
import { BriefbotError } from '../../../src/errors.ts';
import { APP_ID, type FakeDiscord, startFakeDiscord } from './fake-discord.ts';

const GUILD = '290926798626357999';
const guildRoute = `/api/v10/applications/${APP_ID}/guilds/${GUILD}/commands`;
let fake: FakeDiscord;

beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(async () => {
  await fake.close();
});

const puts = () => fake.requests.filter((r) => r.method === 'PUT');

describe('registerCommands', () => {
  it('creates the commands in a guild with one bulk PUT, then sends no PUT when nothing changed', async () => {
    const first = await registerCommands({ token: 't', applicationId: APP_ID, guildId: GUILD, restApiUrl: fake.api });
    expect(first).toEqual({ scope: 'guild', created: ['ask', 'brief', 'sources'], updated: [], unchanged: [], deleted: [] });
    expect(puts()).toHaveLength(1);
    expect(puts()[0]?.path).toBe(guildRoute);
    expect(puts()[0]?.body).toEqual(JSON.parse(JSON.stringify(COMMANDS)));
    expect(puts()[0]?.headers.authorization).toBe('Bot t');

    const second = await registerCommands({ token: 't', applicationId: APP_ID, guildId: GUILD, restApiUrl: fake.api });
    expect(second).toEqual({ scope: 'guild', created: [], updated: [], unchanged: ['ask', 'brief', 'sources'], deleted: [] });
    expect(puts()).toHaveLength(1);
  });

  it('reports changed and stale commands and overwrites them', async () => {
    await registerCommands({ token: 't', applicationId: APP_ID, guildId: GUILD, restApiUrl: fake.api });
    const storedList = fake.commands.get(guildRoute.replace('/api/v10', '')) as Array<Record<string, unknown>>;
    storedList[0] = { ...storedList[0], description: 'an older description' };
    storedList.push({ id: '1', application_id: APP_ID, version: '1', type: 1, name: 'legacy', description: 'gone' });

    const result = await registerCommands({ token: 't', applicationId: APP_ID, guildId: GUILD, restApiUrl: fake.api });
    expect(result).toEqual({ scope: 'guild', created: [], updated: ['ask'], unchanged: ['brief', 'sources'], deleted: ['legacy'] });
    expect(puts()).toHaveLength(2);
    expect(puts()[1]?.body).toEqual(JSON.parse(JSON.stringify(COMMANDS)));
  });

  it('registers globally without a guild', async () => {
    const result = await registerCommands({ token: 't', applicationId: APP_ID, restApiUrl: fake.api });
    expect(result.scope).toBe('global');
    expect(puts()[0]?.path).toBe(`/api/v10/applications/${APP_ID}/commands`);
  });

  it('says how to fix a rejected token', async () => {
    fake.override = () => ({ status: 401, body: { message: '401: Unauthorized', code: 0 } });
    const failure = registerCommands({ token: 'bad', applicationId: APP_ID, restApiUrl: fake.api });
    await expect(failure).rejects.toBeInstanceOf(BriefbotError);
    await expect(failure).rejects.toThrow(/DISCORD_TOKEN/);
    expect(puts()).toHaveLength(0);
  });

  it('says how to fix missing access to the guild', async () => {
    fake.override = () => ({ status: 403, body: { message: 'Missing Access', code: 50001 } });
    await expect(registerCommands({ token: 't', applicationId: APP_ID, guildId: GUILD, restApiUrl: fake.api })).rejects.toThrow(
      /applications\.commands/,
    );
  });
});

describe('COMMANDS', () => {
  it('follow the shape of the documented slash command and keep inputs bounded', () => {
    // test/fixtures/discord/slash_command_definition.example.json: the docs' registration body.
    const example = JSON.parse(
      readFileSync(new URL('../../fixtures/discord/slash_command_definition.example.json', import.meta.url), 'utf8'),
    );
    for (const command of COMMANDS) {
      expect(command.type).toBe(example.type);
      expect(command.name).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
      expect(command.description.length).toBeLessThanOrEqual(100);
      const leaves = (command.options ?? []).flatMap((o) => ('options' in o && o.options ? o.options : [o]));
      for (const option of leaves) {
        expect(Object.keys(option)).toEqual(expect.arrayContaining(['name', 'description', 'type']));
        expect(option.description.length).toBeLessThanOrEqual(100);
        if (option.type === 3) expect((option as { max_length?: number }).max_length).toBeLessThanOrEqual(6000);
      }
    }
    const ask = COMMANDS.find((c) => c.name === 'ask');
    expect(ask?.options?.[0]).toMatchObject({ name: 'question', required: true, min_length: 1, max_length: 1000 });
    expect(ask?.options?.[1]).toMatchObject({ name: 'private', type: 5, required: false });
    const brief = COMMANDS.find((c) => c.name === 'brief');
    expect(brief?.options?.map((o) => o.name)).toEqual(['show', 'now', 'status', 'subscribe', 'unsubscribe']);
  });
});
