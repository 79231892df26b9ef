// Shared test helpers for the model layer: a log-capturing pino logger, a local OpenAI-compatible
// HTTP server, and builders for chat-completion replies (JSON and SSE) in the shape the API returns.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Logger } from '../../src/logger.ts';
import type { Passage, ScoredPassage } from '../../src/core/types.ts';

export interface CapturedLogger {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
}

/** A real pino logger at `info` whose JSON lines are kept in memory. */
export function captureLogger(): CapturedLogger {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  return { logger, lines };
}

/** A non-streaming chat completion body as OpenAI returns it. */
export function completion(content: string, usage = { prompt_tokens: 321, completion_tokens: 45 }) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** SSE events for a streamed completion: one per delta, then a usage chunk and `[DONE]`. */
export function sseEvents(deltas: string[], usage = { prompt_tokens: 300, completion_tokens: 20 }): string[] {
  const base = { id: 'chatcmpl-stream', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini' };
  const events = [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    ...deltas.map((d) => ({ ...base, choices: [{ index: 0, delta: { content: d }, finish_reason: null }] })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    { ...base, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } },
  ];
  return [...events.map((e) => `data: ${JSON.stringify(e)}\n\n`), 'data: [DONE]\n\n'];
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LocalServer {
  /** e.g. `http://127.0.0.1:PORT/v1` */
  baseURL: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 standing in for an OpenAI-compatible server (Ollama, vLLM, …). */
export async function startLocalServer(
  handle: (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>,
): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      void handle(recorded, res);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A passage with offsets into an imaginary document text. */
export function passage(documentId: string, ordinal: number, title: string, text: string): Passage {
  return { id: `${documentId}#${ordinal}`, documentId, ordinal, title, text, start: 0, end: text.length };
}

export function scored(passages: Passage[]): ScoredPassage[] {
  return passages.map((p, i) => ({ passage: p, score: 10 - i }));
}
