import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { chunkDocument } from './chunker.ts';
import { type CorpusSnapshot, listFiles, loadCorpus, loadFile } from './corpus.ts';
import { createLexicalIndex, type LexicalIndex, loadLexicalIndex } from './lexical-index.ts';
import type { Document, Passage, SkippedFile } from './types.ts';

/** Bumped whenever chunking or document parsing changes, so a persisted index from before is rebuilt. */
const LIBRARY_FORMAT = 1;

interface PersistedMeta {
  format: number;
  /** documentId → content hash of the file the passages came from. */
  hashes: Record<string, string>;
}

/** What a (re)load changed. */
export interface RefreshReport {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  skipped: SkippedFile[];
  /** True when the persisted index was reused (possibly updated) instead of rebuilt from scratch. */
  reusedIndex: boolean;
}

export interface LibraryOptions {
  docsDir: string;
  /** The index is persisted under `<dataDir>/index/<corpus key>`; omit to keep it in memory only. */
  dataDir?: string;
  logger: Logger;
  /** Progress of the file loading (for the `index` command's bar). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The indexed corpus: documents, their passages and the lexical index, kept in
 * step. `refresh()` reloads the folder and re-indexes only documents whose content hash changed;
 * `applyChanges()` does the same for a few paths (the file watcher).
 */
export interface Library {
  readonly index: LexicalIndex;
  /** Re-reads the whole folder; re-indexes what changed; persists when anything did. */
  refresh(): Promise<RefreshReport>;
  /** Re-reads only these corpus-relative paths (added, changed or removed files). */
  applyChanges(paths: string[]): Promise<RefreshReport>;
  /** The current documents (sorted by id) and skipped files. */
  snapshot(): CorpusSnapshot;
  document(id: string): Document | undefined;
  passagesOf(documentId: string): Passage[];
}

export async function createLibrary(options: LibraryOptions): Promise<Library> {
  // One persisted index per corpus folder, so `--corpus` runs never churn the main index.
  const corpusKey = createHash('sha256').update(path.resolve(options.docsDir)).digest('hex').slice(0, 12);
  const indexDir = options.dataDir ? path.join(options.dataDir, 'index', corpusKey) : undefined;
  const documents = new Map<string, Document>();
  const skipped = new Map<string, SkippedFile>();
  let index = createLexicalIndex();
  let indexedHashes: Record<string, string> = {};
  let reused = false;

  if (indexDir) {
    const loaded = await loadLexicalIndex(indexDir).catch(() => undefined);
    const meta = loaded?.meta as PersistedMeta | undefined;
    if (loaded && meta?.format === LIBRARY_FORMAT && meta.hashes) {
      index = loaded.index;
      indexedHashes = { ...meta.hashes };
      reused = true;
    }
  }

  const save = async (): Promise<void> => {
    if (!indexDir) return;
    try {
      await index.save(indexDir, { format: LIBRARY_FORMAT, hashes: indexedHashes } satisfies PersistedMeta);
    } catch (error) {
      options.logger.warn({ err: error }, 'Could not persist the index; it will be rebuilt next start');
    }
  };

  const put = (doc: Document): 'added' | 'changed' | 'unchanged' => {
    documents.set(doc.id, doc);
    skipped.delete(doc.id);
    if (indexedHashes[doc.id] === doc.hash) {
      // Indexed from this exact content before (this run or a persisted index): nothing to redo.
      return 'unchanged';
    }
    const fresh = chunkDocument(doc);
    index.setDocument(doc.id, fresh);
    const existed = indexedHashes[doc.id] !== undefined;
    indexedHashes[doc.id] = doc.hash;
    return existed ? 'changed' : 'added';
  };

  const drop = (id: string): boolean => {
    const known = documents.delete(id) || indexedHashes[id] !== undefined;
    if (indexedHashes[id] !== undefined) {
      index.removeDocument(id);
      delete indexedHashes[id];
    }
    return known;
  };

  const library: Library = {
    index,
    async refresh() {
      const snap = await loadCorpus({ dir: options.docsDir, logger: options.logger, onProgress: options.onProgress });
      const report: RefreshReport = { added: [], changed: [], removed: [], unchanged: 0, skipped: snap.skipped, reusedIndex: reused };
      skipped.clear();
      for (const s of snap.skipped) skipped.set(s.path, s);
      const seen = new Set<string>();
      for (const doc of snap.documents) {
        seen.add(doc.id);
        const r = put(doc);
        if (r === 'unchanged') report.unchanged++;
        else report[r].push(doc.id);
      }
      for (const id of [...new Set([...documents.keys(), ...Object.keys(indexedHashes)])]) {
        if (!seen.has(id) && drop(id)) report.removed.push(id);
      }
      if (report.added.length || report.changed.length || report.removed.length || !reused) await save();
      return report;
    },
    async applyChanges(paths) {
      const report: RefreshReport = { added: [], changed: [], removed: [], unchanged: 0, skipped: [], reusedIndex: true };
      const present = new Set(await listFiles(options.docsDir).catch(() => [] as string[]));
      for (const rel of [...new Set(paths)]) {
        if (rel.split('/').some((p) => p.startsWith('.'))) continue;
        if (!present.has(rel)) {
          skipped.delete(rel);
          if (drop(rel)) report.removed.push(rel);
          continue;
        }
        const result = await loadFile(options.docsDir, rel, { logger: options.logger });
        if ('document' in result) {
          const r = put(result.document);
          if (r === 'unchanged') report.unchanged++;
          else report[r].push(rel);
        } else if ('skipped' in result) {
          skipped.set(rel, result.skipped);
          report.skipped.push(result.skipped);
          if (drop(rel)) report.removed.push(rel);
        }
      }
      if (report.added.length || report.changed.length || report.removed.length) await save();
      return report;
    },
    snapshot() {
      return {
        documents: [...documents.values()].sort((a, b) => a.id.localeCompare(b.id)),
        skipped: [...skipped.values()].sort((a, b) => a.path.localeCompare(b.path)),
      };
    },
    document: (id) => documents.get(id),
    passagesOf: (id) => index.passagesOf(id),
  };
  return library;
}
