// Regression: with OPENAI_EMBEDDING_MODEL set, the hybrid retriever built by createCore must embed the
// corpus once, not re-process every passage on each search (main.ts builds a new passage array per call).
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type LocalServer, completion, startLocalServer } from '../models/helpers.ts';
import { type E2eCore, startCore } from './helpers/core.ts';

const embedAllCalls: number[] = [];
vi.mock('../../src/core/embedding-cache.ts', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/core/embedding-cache.ts')>();
  return {
    ...orig,
    openEmbeddingCache: (o: Parameters<typeof orig.openEmbeddingCache>[0]) => {
      const cache = orig.openEmbeddingCache(o);
      return { ...cache, size: cache.size, embedAll: (texts: readonly string[], model: never, signal?: AbortSignal) => { embedAllCalls.push(texts.length); return cache.embedAll(texts, model, signal); } };
    },
  };
});

let server: LocalServer;
let e2e: E2eCore;
beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url.endsWith('/embeddings')) {
      const input = (JSON.parse(req.body) as { input: string[] }).input;
      res.end(JSON.stringify({ object: 'list', model: 'emb', data: input.map((t, index) => ({ object: 'embedding', index, embedding: [t.length % 7 + 1, t.length % 5 + 1, 1] })), usage: { prompt_tokens: 1, total_tokens: 1 } }));
      return;
    }
    res.end(JSON.stringify(completion('Blinken wrote a letter [1].')));
  });
  e2e = await startCore({ OPENAI_BASE_URL: server.baseURL, OPENAI_EMBEDDING_MODEL: 'emb', OPENAI_MAX_RETRIES: '0' });
});
afterAll(async () => {
  await e2e?.close();
  await server?.close();
});

it('indexes the unchanged corpus for embeddings once, not on every search', async () => {
  await e2e.core.handler.ask({ text: 'What did Blinken propose?', conversation: { platform: 'console', id: 'h1' } });
  await e2e.core.handler.ask({ text: 'Who is Ashraf Ghani?', conversation: { platform: 'console', id: 'h2' } });
  await e2e.core.handler.ask({ text: 'Where would talks be held?', conversation: { platform: 'console', id: 'h3' } });
  // One indexing pass over all passages is expected; every later search should reuse it.
  expect(embedAllCalls).toHaveLength(1);
});
