// Hybrid retrieval with the real OpenAI SDK embeddings endpoint answered by nock: RRF fusion with the
// lexical ranking, the on-disk embedding cache, and the lexical fallback when embeddings fail.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddingCache } from '../../src/core/embedding-cache.ts';
import { createHybridRetriever } from '../../src/core/hybrid-retriever.ts';
import type { Retriever, SearchOptions } from '../../src/core/retriever.ts';
import type { Passage, ScoredPassage } from '../../src/core/types.ts';
import { createOpenAIEmbeddings } from '../../src/models/openai.ts';
import { captureLogger, passage } from '../models/helpers.ts';

const API = 'https://api.openai.com';

const apples = passage('a.md', 0, 'Apples', 'Apples grow in orchards.');
const bananas = passage('b.md', 0, 'Bananas', 'Bananas grow in the tropics.');
const cherries = passage('c.md', 0, 'Cherries', 'Cherries bloom in spring.');
const dates = passage('d.md', 0, 'Dates', 'Date palms need desert heat.');
const QUERY = 'which fruit likes hot weather';

/** Deterministic 3-d vectors: the query sits closest to dates, then bananas. */
const VECTORS: Record<string, number[]> = {
  [apples.text]: [0, 0, 1],
  [bananas.text]: [0.6, 0.8, 0],
  [cherries.text]: [0, 0.2, 0.9],
  [dates.text]: [1, 0.1, 0],
  [QUERY]: [1, 0.3, 0],
};

/** Hand-written lexical retriever: a fixed ranking, recording its calls. */
function fakeLexical(ranking: Passage[]): Retriever & { calls: Array<{ query: string; options?: SearchOptions }> } {
  const calls: Array<{ query: string; options?: SearchOptions }> = [];
  return {
    calls,
    async search(query, options) {
      calls.push({ query, options });
      const allowed = options?.documentIds;
      return ranking
        .filter((p) => !allowed || allowed.includes(p.documentId))
        .slice(0, options?.limit ?? 5)
        .map((p, i): ScoredPassage => ({ passage: p, score: 10 - i }));
    },
  };
}

/** Answers /v1/embeddings from VECTORS (or a fallback vector), counting the texts embedded. */
function embeddingsServer() {
  const inputs: string[] = [];
  nock(API)
    .persist()
    .post('/v1/embeddings')
    .reply(200, (_uri, body) => {
      const input = (body as { input: string[] }).input;
      inputs.push(...input);
      return {
        object: 'list',
        model: 'text-embedding-3-small',
        data: input.map((t, index) => ({ object: 'embedding', index, embedding: VECTORS[t] ?? [0.3, 0.3, 0.3] })),
        usage: { prompt_tokens: input.length, total_tokens: input.length },
      };
    });
  return inputs;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'briefbot-emb-'));
});
afterEach(() => {
  nock.cleanAll();
  rmSync(dir, { recursive: true, force: true });
});

function hybrid(passages: () => Passage[], lexical: Retriever) {
  const log = captureLogger();
  const embeddings = createOpenAIEmbeddings({ apiKey: 'sk-test-0123456789abcdef', model: 'text-embedding-3-small', timeoutMs: 2000, maxRetries: 0, logger: log.logger });
  return { retriever: createHybridRetriever({ lexical, embeddings, cacheDir: dir, passages, logger: log.logger }), log };
}

describe('hybrid retriever', () => {
  it('fuses the lexical ranking with embedding similarity (RRF)', async () => {
    embeddingsServer();
    const all = [apples, bananas, cherries, dates];
    const { retriever } = hybrid(() => all, fakeLexical([apples, bananas]));
    const results = await retriever.search(QUERY, { limit: 3 });
    // bananas is 2nd lexically and 2nd semantically; apples only lexical 1st; dates only semantic 1st.
    expect(results.map((r) => r.passage.id)).toEqual(['b.md#0', 'a.md#0', 'd.md#0']);
    expect(results[0]!.score).toBeGreaterThan(results[2]!.score);
  });

  it('respects documentIds in both rankings', async () => {
    embeddingsServer();
    const all = [apples, bananas, cherries, dates];
    const { retriever } = hybrid(() => all, fakeLexical([apples, bananas]));
    const results = await retriever.search(QUERY, { limit: 5, documentIds: ['a.md', 'c.md'] });
    expect(results.map((r) => r.passage.documentId).sort()).toEqual(['a.md', 'c.md']);
  });

  it('embeds each passage once: a second index run re-embeds only changed passages', async () => {
    const inputs = embeddingsServer();
    let all = [apples, bananas, cherries];
    const first = hybrid(() => all, fakeLexical([]));
    expect(await first.retriever.index()).toEqual({ passages: 3, embedded: 3 });
    expect(inputs).toHaveLength(3);
    expect(readdirSync(dir)).toEqual(['embeddings-text-embedding-3-small.bin']);

    // A fresh retriever (as after a restart) over the same cache: no embeddings request at all.
    nock.cleanAll();
    const second = hybrid(() => all, fakeLexical([]));
    expect(await second.retriever.index()).toEqual({ passages: 3, embedded: 0 });

    // One passage edited: only it is embedded.
    const after = embeddingsServer();
    all = [apples, { ...bananas, text: 'Bananas grow in the tropics and in greenhouses.' }, cherries];
    const third = hybrid(() => all, fakeLexical([]));
    expect(await third.retriever.index()).toEqual({ passages: 3, embedded: 1 });
    expect(after).toEqual(['Bananas grow in the tropics and in greenhouses.']);
  });

  it('returns the lexical ranking when the embedding model fails', async () => {
    nock(API).post('/v1/embeddings').reply(500, { error: { message: 'down' } });
    const { retriever, log } = hybrid(() => [apples, bananas, dates], fakeLexical([apples, bananas]));
    const results = await retriever.search(QUERY, { limit: 5 });
    expect(results.map((r) => r.passage.id)).toEqual(['a.md#0', 'b.md#0']);
    expect(log.lines.some((l) => String(l.msg).includes('lexical ranking'))).toBe(true);
  });
});

describe('embedding cache file', () => {
  it('ignores a torn last record and keeps the complete ones', async () => {
    embeddingsServer();
    const embeddings = createOpenAIEmbeddings({ apiKey: 'sk-test-0123456789abcdef', model: 'm', timeoutMs: 2000, maxRetries: 0, logger: captureLogger().logger });
    const cache = openEmbeddingCache({ dir, modelId: 'm' });
    await cache.embedAll([apples.text, bananas.text], embeddings);
    const file = path.join(dir, 'embeddings-m.bin');
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from([1, 2, 3])]));
    const reopened = openEmbeddingCache({ dir, modelId: 'm' });
    expect(reopened.size).toBe(2);
    expect([...reopened.get(bananas.text)!].map((x) => Math.round(x * 10) / 10)).toEqual([0.6, 0.8, 0]);
  });
});
