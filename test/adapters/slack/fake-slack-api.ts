// A local stand-in for Slack's Web API (what SLACK_API_URL points at) and for response_url
// webhooks. It lives outside the adapter's process boundary: the real WebClient talks to it over
// loopback HTTP, form-encoded exactly as it would talk to https://slack.com/api.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded call: the Web API method (or `response_url`) and its decoded parameters. */
export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  /** Authorization header value (to check which token was used). */
  auth?: string;
  at: number;
}

export interface FakeSlackApi {
  /** Base to pass as `apiUrl`, ending in `/api/`. */
  apiUrl: string;
  /** Base for response_url values: `${origin}/response/...`. */
  origin: string;
  calls: SlackCall[];
  /** Calls of one method, in order. */
  of(method: string): SlackCall[];
  /** Resolves once `count` calls of `method` arrived (rejects after `timeoutMs`). */
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<SlackCall[]>;
  /** Overrides the reply for a method (e.g. an error or a delay). */
  reply(method: string, handler: (params: Record<string, unknown>) => Promise<object> | object): void;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: SlackCall[] = [];
  const overrides = new Map<string, (params: Record<string, unknown>) => Promise<object> | object>();
  let seq = 0;
  const nextTs = (): string => `1700000000.${String(++seq).padStart(6, '0')}`;

  const defaults: Record<string, (p: Record<string, unknown>) => object> = {
    'auth.test': () => ({ ok: true, url: 'https://riverside.slack.com/', team: 'Riverside', user: 'briefbot', team_id: 'T123ABC456', user_id: 'U0LAN0Z89', bot_id: 'B0BRIEF01' }),
    'chat.postMessage': (p) => ({ ok: true, channel: p.channel, ts: nextTs(), message: { text: p.text } }),
    'chat.update': (p) => ({ ok: true, channel: p.channel, ts: p.ts, text: p.text }),
    'chat.postEphemeral': () => ({ ok: true, message_ts: nextTs() }),
    response_url: () => ({ ok: true }),
  };

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice('/api/'.length) : 'response_url';
    const params = decode(raw, req.headers['content-type'] ?? '');
    if (method === 'response_url') params.path = url.pathname;
    calls.push({ method, params, auth: req.headers.authorization, at: Date.now() });
    const handler = overrides.get(method) ?? defaults[method] ?? (() => ({ ok: false, error: 'unknown_method' }));
    const body = await handler(params);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const of = (method: string): SlackCall[] => calls.filter((c) => c.method === method);
  return {
    apiUrl: `${origin}/api/`,
    origin,
    calls,
    of,
    async waitFor(method, count = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (of(method).length < count) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${count} × ${method}; got ${of(method).length}: ${JSON.stringify(calls.map((c) => c.method))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return of(method);
    },
    reply(method, handler) {
      overrides.set(method, handler);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form bodies (Web API) with JSON-looking fields parsed; JSON bodies (response_url) as is. */
function decode(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return out;
}
