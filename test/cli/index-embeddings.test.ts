import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { type LocalServer, startLocalServer } from '../models/helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let server: LocalServer;
let data: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  data = await tempDir('briefbot-embed-');
  // An OpenAI-compatible server that answers embeddings requests with small deterministic vectors.
  server = await startLocalServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const input = (JSON.parse(req.body) as { input: string[] }).input;
    res.end(
      JSON.stringify({
        object: 'list',
        model: 'test-embedding',
        data: input.map((t, index) => ({ object: 'embedding', index, embedding: [(t.length % 7) + 1, (t.length % 5) + 1, 1] })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      }),
    );
  });
});
afterAll(async () => {
  await server.close();
  await data.cleanup();
});

async function index(): Promise<string> {
  let out = '';
  const stdout = new Writable({
    write(chunk, _e, done) {
      out += String(chunk);
      done();
    },
  });
  const code = await runCli(['index'], {
    stdout,
    stderr: new Writable({ write: (_c, _e, done) => done() }),
    env: {
      DOCS_DIR: `${ROOT}docs-corpus`,
      DATA_DIR: data.dir,
      LOG_LEVEL: 'silent',
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_EMBEDDING_MODEL: 'test-embedding',
    },
    cwd: ROOT,
  });
  expect(code).toBe(0);
  return out;
}

describe('briefbot index with hybrid retrieval', () => {
  it('embeds every passage once and takes them from the cache on the next run', async () => {
    const first = await index();
    const embedded = Number(/Embeddings: (\d+) new, 0 from the cache/.exec(first)?.[1]);
    expect(embedded).toBeGreaterThan(0);
    const requestsAfterFirst = server.requests.length;
    expect(requestsAfterFirst).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.url.endsWith('/embeddings'))).toBe(true);

    const second = await index();
    expect(second).toContain(`Embeddings: 0 new, ${embedded} from the cache.`);
    expect(server.requests.length).toBe(requestsAfterFirst);
  });
});
