// Socket Mode, the default: the real Bolt SocketModeReceiver/SocketModeClient connects to a local
// WebSocket server (standing in for wss://wss-primary.slack.com) whose URL comes from
// apps.connections.open on the local fake Web API. Envelopes follow api.slack.com/apis/socket-mode.
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/app.ts';
import { createLogger } from '../../../src/logger.ts';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.ts';
import { allText, eventually, loadFixture, RecordingHandler } from './support.ts';

let slack: FakeSlackApi;
let wss: WebSocketServer;
let adapter: SlackAdapter | undefined;
const frames: unknown[] = [];
let socket: WebSocket | undefined;

beforeEach(async () => {
  frames.length = 0;
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => frames.push(JSON.parse(String(data))));
    ws.send(JSON.stringify({
      type: 'hello', num_connections: 1,
      debug_info: { host: 'applink-local', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: 'A123ABC456' },
    }));
  });
  slack = await startFakeSlackApi();
  const { port } = wss.address() as AddressInfo;
  slack.reply('apps.connections.open', () => ({ ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=local` }));
});

afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await slack.close();
});

function envelope(id: string, retryAttempt = 0): string {
  return JSON.stringify({
    envelope_id: id, type: 'events_api', accepts_response_payload: false, retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '',
    payload: loadFixture('app_mention.event_callback.json'),
  });
}

describe('Slack Socket Mode', () => {
  it('connects with the app token, logs the workspace, acks an envelope and answers in the thread', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const handler = new RecordingHandler();
    adapter = createSlackAdapter({ botToken: 'xoxb-test-token-123', appToken: 'xapp-1-A123-test-456', apiUrl: slack.apiUrl, logger });
    await adapter.start(handler);

    // Identity from auth.test with the bot token; the WebSocket URL from apps.connections.open with the app token.
    expect(slack.of('auth.test')[0]!.auth).toBe('Bearer xoxb-test-token-123');
    expect(slack.of('apps.connections.open')[0]!.auth).toBe('Bearer xapp-1-A123-test-456');
    const started = lines.map((l) => JSON.parse(l) as { msg: string; mode?: string; team?: string }).find((l) => l.mode === 'socket');
    expect(started?.msg).toContain('Socket Mode');
    expect(started?.team).toBe('Riverside');
    expect(adapter.port).toBeUndefined();

    socket!.send(envelope('env-1'));
    await eventually(() => expect(frames).toContainEqual({ envelope_id: 'env-1', payload: {} }));
    const [post] = await slack.waitFor('chat.postMessage');
    expect(post!.params.channel).toBe('C123ABC456');
    expect(post!.params.thread_ts).toBe('1515449522.000016');
    expect(allText(post!.params.blocks).join('\n')).toContain('<https://example.com/rivers|The Great Rivers>');

    // A redelivery of the same event is acked but not answered again.
    socket!.send(envelope('env-2', 1));
    await eventually(() => expect(frames).toContainEqual({ envelope_id: 'env-2', payload: {} }));
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.of('chat.postMessage')).toHaveLength(1);
    expect(handler.asks).toHaveLength(1);

    expect(lines.join('\n')).not.toMatch(/xoxb-test-token-123|xapp-1-A123-test-456/);
  });

  it('fails to start with a clear error when Slack rejects the bot token', async () => {
    slack.reply('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    adapter = createSlackAdapter({ botToken: 'xoxb-revoked-000', appToken: 'xapp-1-A123-test-456', apiUrl: slack.apiUrl, logger: createLogger({ level: 'silent' }) });
    await expect(adapter.start(new RecordingHandler())).rejects.toThrow(/Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)/);
    expect(slack.of('apps.connections.open')).toHaveLength(0);
  });

  it('fails to start with advice when Slack rejects the app-level token', async () => {
    slack.reply('apps.connections.open', () => ({ ok: false, error: 'invalid_auth' }));
    adapter = createSlackAdapter({ botToken: 'xoxb-test-token-123', appToken: 'xapp-1-wrong-000', apiUrl: slack.apiUrl, logger: createLogger({ level: 'silent' }) });
    await expect(adapter.start(new RecordingHandler())).rejects.toThrow(/invalid_auth.*Check SLACK_APP_TOKEN/);
  });
});
