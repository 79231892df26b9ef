/**
 * A durable cache of passage embeddings keyed by sha256 of the passage text, so re-indexing embeds only
 * passages whose text changed. One append-only binary file per embedding model:
 * `<dir>/embeddings-<model>.bin` = header `BBE1` + uint32 LE dimensions, then records of
 * 32-byte sha256 + dimensions × float32 LE. A torn last record (crash mid-append) is ignored.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EmbeddingModel } from './model.ts';

const MAGIC = 'BBE1';
const HEADER_BYTES = 8;
const HASH_BYTES = 32;

export interface EmbeddingCacheOptions {
  /** Folder for the cache file (e.g. `DATA_DIR/embeddings`); created when missing. */
  dir: string;
  /** Embedding model id; each model has its own file. */
  modelId: string;
  /** Texts per embeddings request; default 64. */
  batchSize?: number;
}

export interface EmbeddingCache {
  /** Vectors held (in memory and on disk). */
  readonly size: number;
  /** The cached vector for this exact text, if any. */
  get(text: string): Float32Array | undefined;
  /**
   * One vector per text, same order. Only texts not cached are sent to `model` (deduplicated, in batches of
   * `batchSize`); each batch is appended to disk as it arrives, so an interrupted run keeps its progress.
   * Rejects with the model's error; vectors cached before the failure stay cached.
   */
  embedAll(texts: readonly string[], model: EmbeddingModel, signal?: AbortSignal): Promise<{ vectors: Float32Array[]; embedded: number }>;
}

/** sha256 (hex) of a passage text: the cache key. */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Opens (loading it synchronously) or creates the cache for one model. An unreadable file is started afresh. */
export function openEmbeddingCache(options: EmbeddingCacheOptions): EmbeddingCache {
  const file = path.join(options.dir, `embeddings-${options.modelId.replace(/[^\w.-]+/g, '_')}.bin`);
  const batchSize = Math.max(1, options.batchSize ?? 64);
  const vectors = new Map<string, Float32Array>();
  let dims = 0;

  if (existsSync(file)) {
    const buf = readFileSync(file);
    if (buf.length >= HEADER_BYTES && buf.toString('latin1', 0, 4) === MAGIC) {
      dims = buf.readUInt32LE(4);
      const record = HASH_BYTES + dims * 4;
      for (let at = HEADER_BYTES; dims > 0 && at + record <= buf.length; at += record) {
        const hash = buf.toString('hex', at, at + HASH_BYTES);
        const floats = new Float32Array(dims);
        for (let i = 0; i < dims; i++) floats[i] = buf.readFloatLE(at + HASH_BYTES + i * 4);
        vectors.set(hash, floats);
      }
    }
  }

  const persist = (entries: Array<[string, Float32Array]>): void => {
    if (entries.length === 0) return;
    const width = entries[0]![1].length;
    mkdirSync(options.dir, { recursive: true });
    if (width !== dims || !existsSync(file)) {
      // New file, or the model's dimensions changed: start over with this width.
      if (width !== dims) vectors.clear();
      dims = width;
      const header = Buffer.alloc(HEADER_BYTES);
      header.write(MAGIC, 0, 'latin1');
      header.writeUInt32LE(dims, 4);
      writeFileSync(file, header);
    }
    const record = HASH_BYTES + dims * 4;
    const out = Buffer.alloc(record * entries.length);
    entries.forEach(([hash, v], k) => {
      const at = k * record;
      out.write(hash, at, 'hex');
      for (let i = 0; i < dims; i++) out.writeFloatLE(v[i] ?? 0, at + HASH_BYTES + i * 4);
    });
    appendFileSync(file, out);
    for (const [hash, v] of entries) vectors.set(hash, v);
  };

  return {
    get size() {
      return vectors.size;
    },
    get(text) {
      return vectors.get(textHash(text));
    },
    async embedAll(texts, model, signal) {
      const hashes = texts.map(textHash);
      const missing = new Map<string, string>();
      hashes.forEach((h, i) => {
        if (!vectors.has(h) && !missing.has(h)) missing.set(h, texts[i]!);
      });
      const todo = [...missing.entries()];
      for (let i = 0; i < todo.length; i += batchSize) {
        const batch = todo.slice(i, i + batchSize);
        const result = await model.embed(batch.map(([, t]) => t), signal);
        persist(batch.map(([h], k) => [h, result[k]!]));
      }
      return { vectors: hashes.map((h) => vectors.get(h)!), embedded: todo.length };
    },
  };
}
