// The OpenAI LanguageModel/EmbeddingModel through the real SDK: HTTP answered by nock
// (api.openai.com) or by a local node:http server standing in for an OpenAI-compatible server.
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.ts';
import { createOpenAIEmbeddings, createOpenAIModel } from '../../src/models/openai.ts';
import { captureLogger, completion, sseEvents, startLocalServer } from './helpers.ts';

const API = 'https://api.openai.com';
const KEY = 'sk-test-abcdefghijklmnopqrstuvwxyz';

afterEach(() => {
  nock.cleanAll();
});

function model(extra: Partial<Parameters<typeof createOpenAIModel>[0]> = {}) {
  const log = captureLogger();
  const m = createOpenAIModel({ apiKey: KEY, model: 'gpt-4o-mini', timeoutMs: 2000, maxRetries: 0, logger: log.logger, ...extra });
  return { m, log };
}

describe('createOpenAIModel', () => {
  it('sends the system and user messages with the key and logs token usage', async () => {
    let body: Record<string, unknown> | undefined;
    const scope = nock(API)
      .post('/v1/chat/completions', (b) => {
        body = b;
        return true;
      })
      .matchHeader('authorization', `Bearer ${KEY}`)
      .reply(200, completion('The launch is in May [1].'));
    const { m, log } = model();
    const result = await m.generate({ system: 'RULES', prompt: 'QUESTION AND PASSAGES' });
    expect(scope.isDone()).toBe(true);
    expect(result.text).toBe('The launch is in May [1].');
    expect(result.usage).toEqual({ promptTokens: 321, completionTokens: 45 });
    expect(body?.model).toBe('gpt-4o-mini');
    expect(body?.messages).toEqual([
      { role: 'system', content: 'RULES' },
      { role: 'user', content: 'QUESTION AND PASSAGES' },
    ]);
    const usage = log.lines.find((l) => l.msg === 'model call');
    expect(usage).toMatchObject({ level: 30, model: 'gpt-4o-mini', promptTokens: 321, completionTokens: 45 });
  });

  it('turns an HTTP 500 into a ModelError that keeps the cause', async () => {
    nock(API).post('/v1/chat/completions').reply(500, { error: { message: 'boom', type: 'server_error' } });
    const { m } = model();
    const error = await m.generate({ system: 's', prompt: 'p' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message).toMatch(/HTTP 500/);
    expect((error as ModelError).cause).toBeDefined();
  });

  it('retries a 429 up to maxRetries, then fails as rate limited', async () => {
    const scope = nock(API)
      .post('/v1/chat/completions')
      .times(2)
      .reply(429, { error: { message: 'slow down', type: 'rate_limit' } }, { 'retry-after-ms': '5' });
    const { m } = model({ maxRetries: 1 });
    const error = await m.generate({ system: 's', prompt: 'p' }).catch((e: unknown) => e);
    expect(scope.isDone()).toBe(true);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toMatch(/rate limited/);
  });

  it('recovers when a retried 503 is followed by a success', async () => {
    nock(API).post('/v1/chat/completions').reply(503, 'unavailable', { 'retry-after-ms': '5' });
    nock(API).post('/v1/chat/completions').reply(200, completion('ok [1]'));
    const { m } = model({ maxRetries: 2 });
    expect((await m.generate({ system: 's', prompt: 'p' })).text).toBe('ok [1]');
  });

  it('rejects a 200 without usable text as a ModelError', async () => {
    nock(API).post('/v1/chat/completions').reply(200, { id: 'x', choices: [] });
    const { m } = model();
    await expect(m.generate({ system: 's', prompt: 'p' })).rejects.toThrow(/no text/);
  });

  it('times out against a server that never answers', async () => {
    const server = await startLocalServer(() => {}); // never responds
    try {
      const { m } = model({ baseURL: server.baseURL, apiKey: undefined, timeoutMs: 1000 });
      const started = Date.now();
      const error = await m.generate({ system: 's', prompt: 'p' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelError);
      expect((error as Error).message).toMatch(/timed out/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await server.close();
    }
  });

  it('is cancelled by the caller signal', async () => {
    const server = await startLocalServer(() => {});
    try {
      const { m } = model({ baseURL: server.baseURL, timeoutMs: 10_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await expect(m.generate({ system: 's', prompt: 'p', signal: controller.signal })).rejects.toThrow(/cancelled/);
    } finally {
      await server.close();
    }
  });

  it('streams SSE deltas in order and logs usage from the final chunk', async () => {
    let body: Record<string, unknown> | undefined;
    nock(API)
      .post('/v1/chat/completions', (b) => {
        body = b;
        return true;
      })
      .reply(200, sseEvents(['The ', 'launch ', 'is in May ', '[1].']).join(''), { 'content-type': 'text/event-stream' });
    const { m, log } = model();
    const deltas: string[] = [];
    for await (const d of m.stream!({ system: 's', prompt: 'p' })) deltas.push(d);
    expect(deltas).toEqual(['The ', 'launch ', 'is in May ', '[1].']);
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(log.lines.find((l) => l.msg === 'model call')).toMatchObject({ promptTokens: 300, completionTokens: 20, streamed: true });
  });

  it('talks to a compatible server at baseURL with a placeholder key when none is set', async () => {
    const server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = sseEvents(['Hello', ' world']);
      let i = 0;
      const next = (): void => {
        if (i < events.length) {
          res.write(events[i++]);
          setTimeout(next, 5);
        } else res.end();
      };
      next();
    });
    try {
      const { m } = model({ baseURL: server.baseURL, apiKey: undefined, model: 'llama3.1:8b' });
      const deltas: string[] = [];
      for await (const d of m.stream!({ system: 's', prompt: 'p' })) deltas.push(d);
      expect(deltas.join('')).toBe('Hello world');
      expect(server.requests[0]?.url).toBe('/v1/chat/completions');
      expect(server.requests[0]?.headers.authorization).toBe('Bearer not-needed');
      expect(JSON.parse(server.requests[0]!.body).model).toBe('llama3.1:8b');
    } finally {
      await server.close();
    }
  });

  it('refuses to start without a key or a base URL', () => {
    expect(() => createOpenAIModel({ model: 'm', timeoutMs: 1000, maxRetries: 0, logger: captureLogger().logger })).toThrow(ModelError);
  });
});

describe('createOpenAIEmbeddings', () => {
  it('requests float vectors and returns them in input order', async () => {
    let body: Record<string, unknown> | undefined;
    nock(API)
      .post('/v1/embeddings', (b) => {
        body = b;
        return true;
      })
      .reply(200, {
        object: 'list',
        data: [
          { object: 'embedding', index: 1, embedding: [0, 1, 0] },
          { object: 'embedding', index: 0, embedding: [1, 0, 0.5] },
        ],
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 4, total_tokens: 4 },
      });
    const e = createOpenAIEmbeddings({ apiKey: KEY, model: 'text-embedding-3-small', timeoutMs: 2000, maxRetries: 0, logger: captureLogger().logger });
    const vectors = await e.embed(['first', 'second']);
    expect(body).toMatchObject({ model: 'text-embedding-3-small', input: ['first', 'second'], encoding_format: 'float' });
    expect(vectors.map((v) => [...v])).toEqual([
      [1, 0, 0.5],
      [0, 1, 0],
    ]);
  });

  it('fails with a ModelError when the server errors', async () => {
    nock(API).post('/v1/embeddings').reply(500, { error: { message: 'down' } });
    const e = createOpenAIEmbeddings({ apiKey: KEY, model: 'text-embedding-3-small', timeoutMs: 2000, maxRetries: 0, logger: captureLogger().logger });
    await expect(e.embed(['x'])).rejects.toBeInstanceOf(ModelError);
  });
});

describe('createOpenAIModel stream stalls', () => {
  it('gives up on a stream that goes silent for longer than the timeout', async () => {
    const server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sseEvents(['partial'])[1]); // one delta, then silence
    });
    try {
      const log = captureLogger();
      const m = createOpenAIModel({ baseURL: server.baseURL, model: 'm', timeoutMs: 1000, maxRetries: 0, logger: log.logger });
      const deltas: string[] = [];
      const consume = async (): Promise<void> => {
        for await (const d of m.stream!({ system: 's', prompt: 'p' })) deltas.push(d);
      };
      await expect(consume()).rejects.toThrow(/timed out/);
      expect(deltas).toEqual(['partial']);
    } finally {
      await server.close();
    }
  });
});
