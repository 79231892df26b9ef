/**
 * A local stand-in for Discord's REST API and gateway, on 127.0.0.1, that records every request.
 * REST routes answer like Discord does (204 without content type for interaction callbacks, a
 * message object for edits and posts); the gateway speaks the JSON protocol far enough for a
 * real discord.js Client to log in (HELLO → IDENTIFY → READY) and receive dispatches.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export const APP_ID = '787053080478613554';
export const BOT_USER_ID = '787053080478613999';

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/api/v10/interactions/1/tok/callback`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  // biome-ignore lint/suspicious/noExplicitAny: recorded JSON bodies are inspected freely in tests
  body: any;
}

/** Lets a test answer a request itself (status and JSON body); return undefined for the default. */
export type Override = (req: RecordedRequest) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

export interface FakeDiscord {
  /** REST base for discord.js: `http://127.0.0.1:PORT/api`. */
  readonly api: string;
  readonly requests: RecordedRequest[];
  /** Commands stored per route, as Discord would return them. */
  readonly commands: Map<string, unknown[]>;
  /** IDENTIFY payloads received on the gateway. */
  readonly identifies: unknown[];
  override: Override | undefined;
  /** Resolves with the first recorded request (past or future) matching `predicate`. */
  waitFor(predicate: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Sends a gateway dispatch (op 0) to every connected client. */
  dispatch(event: string, data: unknown): void;
  /** Closes every gateway connection with a close code (e.g. 4000 resumable, 4004 fatal). */
  disconnect(code: number): void;
  /** RESUME payloads received on the gateway. */
  readonly resumes: unknown[];
  close(): Promise<void>;
}

let nextId = 900000000000000000n;
const snowflake = (): string => String(nextId++);

/**
 * A raw message object as Discord returns it for a message the bot sent, carrying the `content`,
 * `embeds`, `flags` (and, unless overridden, `components`) of the request `body` that created it.
 */
// biome-ignore lint/suspicious/noExplicitAny: raw request body
export function rawBotMessage(body: any, fields: { id: string; channelId: string; type: number; authorId: string; components?: unknown[] }): Record<string, unknown> {
  return {
    id: fields.id,
    channel_id: fields.channelId,
    type: fields.type,
    content: body.content ?? '',
    embeds: body.embeds ?? [],
    components: fields.components ?? body.components ?? [],
    author: { id: fields.authorId, username: 'briefbot', discriminator: '0000', global_name: null, avatar: null, bot: true },
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: body.flags ?? 0,
  };
}

/** Stores commands the way Discord returns them: ids and defaults added, `required: false` dropped. */
// biome-ignore lint/suspicious/noExplicitAny: command JSON
function stored(command: any, guildId: string | undefined): unknown {
  // biome-ignore lint/suspicious/noExplicitAny: option JSON
  const strip = (option: any): any => {
    const { required, options, ...rest } = option;
    return { ...rest, ...(required ? { required } : {}), ...(options ? { options: options.map(strip) } : {}) };
  };
  return {
    id: snowflake(),
    application_id: APP_ID,
    version: snowflake(),
    default_member_permissions: null,
    nsfw: false,
    ...(guildId ? { guild_id: guildId } : {}),
    ...command,
    options: (command.options ?? []).map(strip),
  };
}

export async function startFakeDiscord(): Promise<FakeDiscord> {
  const requests: RecordedRequest[] = [];
  const waiters: Array<{ predicate: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }> = [];
  const commands = new Map<string, unknown[]>();
  const identifies: unknown[] = [];
  const resumes: unknown[] = [];
  const sockets = new Set<WebSocket>();
  let seq = 0;

  const message = (body: Record<string, unknown>, channelId: string) =>
    rawBotMessage(body, { id: snowflake(), channelId, type: 0, authorId: BOT_USER_ID, components: [] });

  const route = (req: RecordedRequest, port: number): { status: number; body?: unknown; headers?: Record<string, string> } => {
    const p = req.path.replace(/^\/api\/v10/, '');
    if (req.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(p)) return { status: 204 };
    if (req.method === 'PATCH' && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(p)) {
      return { status: 200, body: message(req.body, '645027906669510667') };
    }
    if (req.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(p)) return { status: 200, body: message(req.body, '645027906669510667') };
    const channel = p.match(/^\/channels\/(\d+)\/messages$/);
    if (req.method === 'POST' && channel) return { status: 200, body: message(req.body, channel[1] ?? '') };
    const commandsRoute = p.match(/^\/applications\/\d+(?:\/guilds\/(\d+))?\/commands$/);
    if (commandsRoute) {
      if (req.method === 'GET') return { status: 200, body: commands.get(p) ?? [] };
      if (req.method === 'PUT') {
        // biome-ignore lint/suspicious/noExplicitAny: command JSON
        const list = (req.body as any[]).map((c) => stored(c, commandsRoute[1]));
        commands.set(p, list);
        return { status: 200, body: list };
      }
    }
    if (req.method === 'GET' && p === '/gateway/bot') {
      return {
        status: 200,
        body: {
          url: `ws://127.0.0.1:${port}`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      };
    }
    return { status: 404, body: { message: 'Unknown route', code: 0 } };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      requests.push(recorded);
      for (const w of [...waiters]) {
        if (w.predicate(recorded)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(recorded);
        }
      }
      const port = (server.address() as AddressInfo).port;
      const answer = fake.override?.(recorded) ?? route(recorded, port);
      if (answer.body === undefined) {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
      res.end(JSON.stringify(answer.body));
    });
  });

  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 }, s: null, t: null }));
    socket.on('message', (data) => {
      const payload = JSON.parse(String(data)) as { op: number; d: unknown };
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (payload.op === 6) {
        resumes.push(payload.d);
        seq += 1;
        socket.send(JSON.stringify({ op: 0, s: seq, t: 'RESUMED', d: {} }));
      }
      if (payload.op === 2) {
        identifies.push(payload.d);
        const port = (server.address() as AddressInfo).port;
        seq += 1;
        socket.send(
          JSON.stringify({
            op: 0,
            s: seq,
            t: 'READY',
            d: {
              v: 10,
              user: { id: BOT_USER_ID, username: 'briefbot', discriminator: '4242', global_name: null, avatar: null, bot: true },
              guilds: [],
              session_id: 'fake-session',
              resume_gateway_url: `ws://127.0.0.1:${port}`,
              shard: [0, 1],
              application: { id: APP_ID, flags: 0 },
            },
          }),
        );
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeDiscord = {
    api: `http://127.0.0.1:${port}/api`,
    requests,
    commands,
    identifies,
    resumes,
    override: undefined,
    waitFor(predicate, timeoutMs = 5000) {
      const done = requests.find(predicate);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a request')), timeoutMs);
        waiters.push({
          predicate,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    dispatch(event, data) {
      seq += 1;
      for (const socket of sockets) socket.send(JSON.stringify({ op: 0, s: seq, t: event, d: data }));
    },
    disconnect(code) {
      for (const socket of sockets) socket.close(code, 'test');
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
