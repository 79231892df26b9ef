/**
 * The two retrievers the benchmark compares, behind one shape: our lexical index and MiniSearch
 * configured as a fair baseline (title + text fields, title boost 2, the same stop words and the
 * same Porter stemmer package).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import MiniSearch, { type Options } from 'minisearch';
import { stemmer } from 'stemmer';
import { INDEX_FILE } from '../src/core/index-format.ts';
import { createLexicalIndex, type LexicalIndex, loadLexicalIndex } from '../src/core/lexical-index.ts';
import { STOP_WORDS } from '../src/core/tokenizer.ts';
import { type SquadPassage, toPassage } from './squad.ts';

export interface Engine {
  readonly name: string;
  /** Turns eval paragraphs into the engine's input (not timed). */
  prepare(passages: SquadPassage[]): unknown;
  /** Builds the index from `prepare`'s output (timed). */
  build(input: unknown): void;
  /** Persists the built index under `dir`; returns the bytes on disk. */
  save(dir: string): Promise<number>;
  /** Drops the built index (so its memory can be collected). */
  drop(): void;
  /** Loads what `save` wrote (timed) and makes it the index that `search` uses. */
  load(dir: string): Promise<void>;
  /** Top-10 passage ids for a question. */
  search(question: string): string[];
}

export function ourEngine(): Engine {
  let index: LexicalIndex | undefined;
  return {
    name: 'briefbot',
    prepare: (passages) => passages.map(toPassage),
    build(input) {
      index = createLexicalIndex();
      index.addAll(input as ReturnType<typeof toPassage>[]);
    },
    async save(dir) {
      await (index as LexicalIndex).save(dir, { bench: true });
      return (await stat(join(dir, INDEX_FILE))).size;
    },
    drop() {
      index = undefined;
    },
    async load(dir) {
      const loaded = await loadLexicalIndex(dir);
      if (!loaded) throw new Error('saved index did not load');
      index = loaded.index;
    },
    search: (question) => (index as LexicalIndex).searchSync(question, { limit: 10 }).map((r) => r.passage.id),
  };
}

const MINI_FILE = 'minisearch.json';

/** MiniSearch 7 with English stop words and Porter stemming (its defaults have neither). */
export function miniSearchEngine(): Engine {
  const options: Options<SquadPassage> = {
    fields: ['title', 'text'],
    processTerm: (term) => {
      const word = term.toLowerCase().replace(/['’]s$/, '');
      return STOP_WORDS.has(word) ? null : stemmer(word);
    },
    searchOptions: { boost: { title: 2 } },
  };
  let index: MiniSearch<SquadPassage> | undefined;
  return {
    name: 'minisearch',
    prepare: (passages) => passages,
    build(input) {
      index = new MiniSearch(options);
      index.addAll(input as SquadPassage[]);
    },
    async save(dir) {
      const json = JSON.stringify(index);
      await writeFile(join(dir, MINI_FILE), json);
      return Buffer.byteLength(json);
    },
    drop() {
      index = undefined;
    },
    async load(dir) {
      index = MiniSearch.loadJSON(await readFile(join(dir, MINI_FILE), 'utf8'), options);
    },
    search: (question) =>
      (index as MiniSearch<SquadPassage>)
        .search(question)
        .slice(0, 10)
        .map((r) => r.id as string),
  };
}
