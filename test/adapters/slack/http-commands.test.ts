// Slash commands through a real Bolt App (HTTP receiver on 127.0.0.1), signed like Slack signs
// them. Bodies start from the recorded form in test/fixtures/slack; response_url points at the
// local fake so the delayed replies can be inspected.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/app.ts';
import type { Briefing } from '../../../src/core/types.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.ts';
import { allText, citations, commandBody, loadFixture, loadTextFixture, RecordingHandler, sampleAnswer, SIGNING_SECRET, sendSigned } from './support.ts';

const FORM = 'application/x-www-form-urlencoded';
let slack: FakeSlackApi;
let adapter: SlackAdapter;
let handler: RecordingHandler;

async function start(signingSecret = SIGNING_SECRET): Promise<void> {
  adapter = createSlackAdapter({
    botToken: 'xoxb-test-token', signingSecret, port: 0, host: '127.0.0.1', apiUrl: slack.apiUrl,
    logger: silentLogger(), botId: 'B0BRIEF01', botUserId: 'U0LAN0Z89',
  });
  await adapter.start(handler);
}

beforeEach(async () => {
  slack = await startFakeSlackApi();
  handler = new RecordingHandler();
});

afterEach(async () => {
  vi.useRealTimers();
  await adapter.stop();
  await slack.close();
});

async function command(name: string, text: string): Promise<{ status: number; body: { response_type?: string; text?: string } | undefined }> {
  const res = await sendSigned(adapter.port!, commandBody(name, text, `${slack.origin}/response/T1DC2JH3J/1/abc`), { contentType: FORM });
  const raw = await res.text();
  return { status: res.status, body: raw ? JSON.parse(raw) : undefined };
}

describe('Slack HTTP mode: slash commands', () => {
  it('acks /ask before a slow answer completes, then posts the answer in the channel', async () => {
    await start();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    handler.answer = async (q) => {
      await gate;
      return sampleAnswer(q.text);
    };

    const ack = await command('/ask', 'what should a river be?');
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    expect(ack.body?.text).toContain('Looking through the documents');
    expect(slack.of('response_url')).toHaveLength(0); // the answer is still being prepared

    release();
    const [reply] = await slack.waitFor('response_url');
    expect(reply!.params).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(allText(reply!.params.blocks).join('\n')).toContain('<https://example.com/rivers|The Great Rivers>');
    expect(handler.asks[0]!.question).toEqual({ text: 'what should a river be?', conversation: { platform: 'slack', id: 'G8PSS9T3V' }, userId: 'U2CERLKJA' });
  });

  it('answers empty and over-long /ask input with an ephemeral usage line and asks nothing', async () => {
    await start();
    const empty = await command('/ask', '   ');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ response_type: 'ephemeral' });
    expect(empty.body?.text).toContain('Usage: `/ask <question>`');

    const long = await command('/ask', 'why '.repeat(300));
    expect(long.body?.text).toContain('the limit is 1000');
    expect(handler.asks).toHaveLength(0);
  });

  it('parses /brief subcommands and hands them to the core with the channel ref', async () => {
    await start();
    const inputs = ['', 'now', 'status', 'subscribe 0 8 * * 1-5 Europe/Paris', 'subscribe "30 7 * * *"', 'unsubscribe'];
    for (const text of inputs) expect((await command('/brief', text)).status).toBe(200);
    await vi.waitFor(() => expect(handler.briefs).toHaveLength(inputs.length));
    expect(handler.briefs.map((b) => b.command)).toEqual([
      { kind: 'show' }, { kind: 'now' }, { kind: 'status' },
      { kind: 'subscribe', cron: '0 8 * * 1-5', timezone: 'Europe/Paris' },
      { kind: 'subscribe', cron: '30 7 * * *' },
      { kind: 'unsubscribe' },
    ]);
    expect(handler.briefs.every((b) => b.conversation.id === 'G8PSS9T3V' && b.conversation.platform === 'slack')).toBe(true);
  });

  it('rejects an unknown /brief subcommand with usage, without calling the core', async () => {
    await start();
    const res = await command('/brief', 'frobnicate');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response_type: 'ephemeral' });
    expect(res.body?.text).toContain('Unknown `/brief frobnicate`');
    expect(handler.briefs).toHaveLength(0);
  });

  it('shows the status line ephemerally and posts /brief now in the channel', async () => {
    await start();
    const briefing: Briefing = {
      generatedAt: '2025-11-21T08:00:00Z', mode: 'extractive', documents: { included: 2, skipped: [] },
      stories: [{ headline: 'Rivers rise', summary: 'The delta floods [1].', citations, documentIds: ['rivers.md'], sources: ['Atlas Weekly'], disagreements: [] }],
    };
    handler.briefResult = async (cmd) => (cmd.kind === 'now' ? { briefing } : { message: 'Subscribed: 0 8 * * 1-5 (UTC).' });
    await command('/brief', 'subscribe 0 8 * * 1-5');
    const [status] = await slack.waitFor('response_url');
    expect(status!.params).toMatchObject({ response_type: 'ephemeral', text: 'Subscribed: 0 8 * * 1-5 (UTC).' });

    await command('/brief', 'now');
    const replies = await slack.waitFor('response_url', 2);
    expect(replies[1]!.params.response_type).toBe('in_channel');
    expect(allText(replies[1]!.params.blocks).join('\n')).toContain('*Rivers rise*');
  });

  it('turns a failing /brief into an ephemeral friendly line, never a 5xx', async () => {
    await start();
    handler.briefResult = async () => {
      throw new Error('database is locked');
    };
    const res = await command('/brief', 'status');
    expect(res.status).toBe(200);
    const [reply] = await slack.waitFor('response_url');
    expect(reply!.params.response_type).toBe('ephemeral');
    expect(String(reply!.params.text)).toContain('Sorry, something went wrong');
    expect(String(reply!.params.text)).not.toContain('locked');
  });

  it('verifies the published signing vector with Bolt at a clock of 1531420618', async () => {
    const vector = loadFixture<{ signing_secret: string; headers: Record<string, string>; raw_body: string }>('signature_vector.json');
    expect(loadTextFixture('slash_command.signed_example.form.txt')).toBe(vector.raw_body);
    await start(vector.signing_secret);
    const send = () => fetch(`http://127.0.0.1:${adapter.port}/slack/events`, { method: 'POST', headers: vector.headers, body: vector.raw_body });

    // With today's clock the 2018 timestamp is stale: rejected.
    expect((await send()).status).toBe(401);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1531420618 * 1000);
    const res = await send();
    expect(res.status).toBe(200);
    // The vector's command (/webhook-collect) is not ours: a polite ephemeral reply, not a 404.
    expect(await res.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/webhook-collect') });
  });
});
