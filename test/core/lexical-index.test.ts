import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_FILE } from '../../src/core/index-format.ts';
import { createLexicalIndex, type LexicalIndex, loadLexicalIndex } from '../../src/core/lexical-index.ts';
import { tokenize } from '../../src/core/tokenizer.ts';
import type { Passage } from '../../src/core/types.ts';

/** Passages of one document, laid out as the chunker would (offsets into the joined text). */
function doc(documentId: string, title: string, paragraphs: string[]): Passage[] {
  let start = 0;
  return paragraphs.map((text, ordinal) => {
    const p = { id: `${documentId}#${ordinal}`, documentId, ordinal, title, text, start, end: start + text.length };
    start += text.length + 2;
    return p;
  });
}

const SOLAR = doc('energy/solar.md', 'Solar power in Spain', [
  'Spain installed 8 gigawatts of solar panels in 2023, most of them in Andalusia.',
  'Critics say the grid cannot absorb the midday peaks without more storage.',
]);
const RAIL = doc('transport/rail.md', 'High-speed rail', [
  'The new line cuts the trip from Madrid to Barcelona to two and a half hours.',
  'Ticket prices fell by a third after two competitors entered the market.',
]);
const FLU = doc('health/flu.md', 'Flu season', [
  'Hospitals reported more flu cases this winter than in any year since 2018.',
  'Doctors urged older patients to get the vaccine before December.',
]);
const CORPUS = [...SOLAR, ...RAIL, ...FLU];
const QUERIES = [
  'How long is the train trip from Madrid to Barcelona?',
  'How many gigawatts of solar panels did Spain install?',
  'What did doctors urge older patients to do?',
  'ticket prices competitors',
  'grid storage peaks',
  'flu vaccine hospitals winter',
];

function ids(index: LexicalIndex, query: string, options?: Parameters<LexicalIndex['searchSync']>[1]): string[] {
  return index.searchSync(query, options).map((r) => r.passage.id);
}

function built(passages = CORPUS): LexicalIndex {
  const index = createLexicalIndex();
  index.addAll(passages);
  return index;
}

describe('ranking', () => {
  it('ranks the passage that answers the question first', () => {
    const index = built();
    expect(ids(index, 'How long is the train trip from Madrid to Barcelona?')[0]).toBe('transport/rail.md#0');
    expect(ids(index, 'How many gigawatts of solar panels did Spain install?')[0]).toBe('energy/solar.md#0');
    expect(ids(index, 'What did doctors urge older patients to do?')[0]).toBe('health/flu.md#1');
  });

  it('matches other inflections of the query words', () => {
    expect(ids(built(), 'installing a solar panel')[0]).toBe('energy/solar.md#0');
  });

  it('returns best first with positive, non-increasing scores, and respects the limit (default 5)', async () => {
    const index = built();
    const results = await index.search('the grid and the market and the vaccine and the line');
    expect(results.length).toBeGreaterThan(1);
    expect(results.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < results.length; i++) {
      expect((results[i] as { score: number }).score).toBeLessThanOrEqual((results[i - 1] as { score: number }).score);
    }
    expect(results.every((r) => r.score > 0)).toBe(true);
    expect(index.searchSync('the grid and the market and the vaccine and the line', { limit: 1 })).toHaveLength(1);
    expect(index.searchSync('grid', { limit: 0 })).toEqual([]);
  });

  it('search and searchSync give the same results', async () => {
    const index = built();
    for (const q of QUERIES) expect(await index.search(q, { limit: 3 })).toEqual(index.searchSync(q, { limit: 3 }));
  });

  it('returns nothing for empty, stop-word-only or unknown queries', () => {
    const index = built();
    expect(index.searchSync('')).toEqual([]);
    expect(index.searchSync('  ?!  ')).toEqual([]);
    expect(index.searchSync('what is the one that was in it')).toEqual([]);
    expect(index.searchSync('zeppelin quasar')).toEqual([]);
    expect(createLexicalIndex().searchSync('solar')).toEqual([]);
  });

  it('counts title words: the same text ranks higher under a title that matches the query', () => {
    const body = 'The committee approved the budget on Tuesday after a long debate.';
    const index = built([...doc('council.md', 'City council', [body]), ...doc('school.md', 'School board', [body])]);
    expect(ids(index, 'school budget')).toEqual(['school.md#0', 'council.md#0']);
    expect(ids(index, 'council budget')).toEqual(['council.md#0', 'school.md#0']);
    // With equal evidence, ties go by passage order.
    expect(ids(index, 'budget debate')).toEqual(['council.md#0', 'school.md#0']);
  });

  it('prefers a passage with the query words in the same order (phrase) over the same words scattered', () => {
    const index = built([
      ...doc('a.md', 'Notes', ['York has a new mayor, and the mayor is new to the job.']),
      ...doc('b.md', 'Notes', ['New York has a mayor, and the mayor is new to the job.']),
    ]);
    expect(ids(index, 'new york mayor')).toEqual(['b.md#0', 'a.md#0']);
    expect(ids(index, 'mayor york')).toEqual(['a.md#0', 'b.md#0']);
  });

  it('restricts results to documentIds', () => {
    const index = built();
    const all = ids(index, 'two hours competitors vaccine gigawatts', { limit: 10 });
    expect(new Set(all.map((id) => id.split('#')[0]))).toEqual(new Set(['transport/rail.md', 'health/flu.md', 'energy/solar.md']));
    expect(ids(index, 'two hours competitors vaccine gigawatts', { limit: 10, documentIds: ['health/flu.md'] })).toEqual(['health/flu.md#1']);
    expect(ids(index, 'vaccine', { documentIds: ['transport/rail.md'] })).toEqual([]);
    expect(ids(index, 'vaccine', { documentIds: ['missing.md'] })).toEqual([]);
    expect(ids(index, 'vaccine', { documentIds: [] })).toEqual([]);
  });
});

describe('updates', () => {
  it('removeDocument drops its passages from results and lookups; removing an absent document does nothing', () => {
    const index = built();
    index.removeDocument('transport/rail.md');
    expect(index.passageCount).toBe(4);
    expect(ids(index, 'Madrid Barcelona trip')).toEqual([]);
    expect(index.getPassage('transport/rail.md#0')).toBeUndefined();
    expect(index.passagesOf('transport/rail.md')).toEqual([]);
    expect(index.documentIds().sort()).toEqual(['energy/solar.md', 'health/flu.md']);
    index.removeDocument('transport/rail.md');
    index.removeDocument('never-indexed.md');
    expect(index.passageCount).toBe(4);
  });

  it('setDocument replaces every passage of a document', () => {
    const index = built();
    const edited = doc('transport/rail.md', 'High-speed rail', ['The Madrid line now also reaches Valencia in ninety minutes.']);
    index.setDocument('transport/rail.md', edited);
    expect(index.passageCount).toBe(5);
    expect(ids(index, 'Valencia')).toEqual(['transport/rail.md#0']);
    expect(ids(index, 'ticket prices competitors')).toEqual([]);
    expect(index.getPassage('transport/rail.md#1')).toBeUndefined();
    expect(index.passagesOf('transport/rail.md')).toEqual(edited);
    index.setDocument('transport/rail.md', []);
    expect(index.documentIds()).not.toContain('transport/rail.md');
  });

  it('setDocument refuses passages of another document', () => {
    expect(() => built().setDocument('energy/solar.md', RAIL)).toThrow(/transport\/rail\.md/);
  });

  it('passagesOf returns ordinal order whatever order passages arrived in', () => {
    const index = built([...[...SOLAR].reverse(), ...RAIL]);
    expect(index.passagesOf('energy/solar.md').map((p) => p.ordinal)).toEqual([0, 1]);
    expect(index.getPassage('energy/solar.md#1')).toEqual(SOLAR[1]);
  });

  it('gives the same results whether built in bulk, one document at a time, or after remove and re-add', () => {
    const bulk = built();
    const incremental = createLexicalIndex();
    for (const d of [SOLAR, RAIL, FLU]) incremental.setDocument((d[0] as Passage).documentId, d);
    const churned = built();
    churned.removeDocument('energy/solar.md');
    churned.setDocument('transport/rail.md', RAIL);
    churned.setDocument('energy/solar.md', SOLAR);
    for (const q of QUERIES) {
      const expected = bulk.searchSync(q, { limit: 6 });
      for (const other of [incremental, churned]) {
        const got = other.searchSync(q, { limit: 6 });
        expect(new Set(got.map((r) => r.passage.id))).toEqual(new Set(expected.map((r) => r.passage.id)));
        expect(got.map((r) => r.score).sort()).toEqual(expected.map((r) => r.score).sort());
      }
    }
  });

  it('stays correct through many replacements (tombstones are merged away)', () => {
    const many = (version: number) =>
      Array.from({ length: 400 }, (_, i) => doc(`d${i}.md`, `Report ${i}`, [`Item ${i} version ${version}: marker${i} zone${i % 7}.`]));
    const index = createLexicalIndex();
    index.addAll(many(1).flat());
    for (const d of many(2)) index.setDocument((d[0] as Passage).documentId, d);
    expect(index.passageCount).toBe(400);
    expect(ids(index, 'marker123')).toEqual(['d123.md#0']);
    expect(index.getPassage('d123.md#0')?.text).toContain('version 2');
    const fresh = built(many(2).flat());
    for (const q of ['marker5 zone5', 'version report 17', 'zone3']) {
      expect(index.searchSync(q, { limit: 8 })).toEqual(fresh.searchSync(q, { limit: 8 }));
    }
  });

  it('addAll keeps the last copy of a repeated passage id', () => {
    const first = doc('x.md', 'X', ['alpha beta'])[0] as Passage;
    const second = { ...first, text: 'gamma delta', end: 11 };
    const index = built([first, second]);
    expect(index.passageCount).toBe(1);
    expect(ids(index, 'gamma')).toEqual(['x.md#0']);
    expect(ids(index, 'alpha')).toEqual([]);
  });

  it('weighs rare terms above common ones, unseen terms highest, and follows removals', () => {
    const index = built();
    const [rare, two, unseen] = ['andalusia', 'two', 'zeppelin'].map((w) => tokenize(w)[0] ?? w) as [string, string, string];
    // "two" is in two passages, "andalusia" in one; nobody has "zeppelin".
    expect(index.termWeight(rare)).toBeGreaterThan(index.termWeight(two));
    expect(index.termWeight(unseen)).toBeGreaterThan(index.termWeight(rare));
    const before = index.termWeight(rare);
    index.removeDocument('energy/solar.md');
    expect(index.termWeight(rare)).toBeCloseTo(index.termWeight(unseen));
    expect(index.termWeight(rare)).not.toBeCloseTo(before);
  });
});

describe('persistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'briefbot-index-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips: a loaded index gives identical results, passages and meta', async () => {
    const index = built();
    index.setDocument('health/flu.md', FLU);
    await index.save(dir, { corpusHash: 'abc', files: 3 });
    expect((await readdir(dir)).sort()).toEqual([INDEX_FILE]);
    const loaded = await loadLexicalIndex(dir);
    expect(loaded?.meta).toEqual({ corpusHash: 'abc', files: 3 });
    const again = loaded?.index as LexicalIndex;
    expect(again.passageCount).toBe(index.passageCount);
    expect(again.documentIds().sort()).toEqual(index.documentIds().sort());
    for (const q of QUERIES) expect(again.searchSync(q, { limit: 6 })).toEqual(index.searchSync(q, { limit: 6 }));
    expect(again.passagesOf('energy/solar.md')).toEqual(SOLAR);
    expect(again.getPassage('transport/rail.md#1')).toEqual(RAIL[1]);
  });

  it('keeps non-ASCII text, titles and ids intact', async () => {
    const passages = doc('notes/café ✓.md', 'Überblick: 東京 💡', ['Der Bürgermeister sagte „nein“ — 東京タワー 💡.']);
    await built(passages).save(dir);
    const loaded = await loadLexicalIndex(dir);
    expect(loaded?.index.passagesOf('notes/café ✓.md')).toEqual(passages);
    expect(loaded?.meta).toBeNull();
    expect(loaded?.index.searchSync('burgermeister')[0]?.passage).toEqual(passages[0]);
  });

  it('a loaded index accepts updates and saves again (replacing the file atomically)', async () => {
    await built().save(dir, 1);
    const first = (await loadLexicalIndex(dir))?.index as LexicalIndex;
    first.setDocument('transport/rail.md', doc('transport/rail.md', 'Rail', ['Night trains return to Lisbon.']));
    first.removeDocument('health/flu.md');
    await first.save(dir, 2);
    expect((await readdir(dir)).sort()).toEqual([INDEX_FILE]);
    const second = await loadLexicalIndex(dir);
    expect(second?.meta).toBe(2);
    expect(second?.index.passageCount).toBe(3);
    expect(ids(second?.index as LexicalIndex, 'night trains Lisbon')).toEqual(['transport/rail.md#0']);
    expect(ids(second?.index as LexicalIndex, 'flu vaccine')).toEqual([]);
    expect(ids(second?.index as LexicalIndex, 'solar gigawatts')[0]).toBe('energy/solar.md#0');
  });

  it('saves and loads an empty index', async () => {
    await createLexicalIndex().save(dir);
    const loaded = await loadLexicalIndex(dir);
    expect(loaded?.index.passageCount).toBe(0);
    expect(loaded?.index.searchSync('anything')).toEqual([]);
  });

  it('returns undefined, without throwing, for a missing, corrupt, truncated, foreign or other-version file', async () => {
    expect(await loadLexicalIndex(join(dir, 'nowhere'))).toBeUndefined();
    await built().save(dir);
    const good = await readFile(join(dir, INDEX_FILE));
    const variants: Array<[string, Buffer]> = [
      ['flipped byte', Buffer.from(good).fill(0x5a, Math.floor(good.length / 2), Math.floor(good.length / 2) + 1)],
      ['truncated', good.subarray(0, good.length - 9)],
      ['empty', Buffer.alloc(0)],
      ['foreign', Buffer.from('{"not": "an index"}\n')],
      ['other version', Buffer.concat([good.subarray(0, 8), Buffer.from([99, 0, 0, 0]), good.subarray(12)])],
    ];
    for (const [name, bytes] of variants) {
      await writeFile(join(dir, INDEX_FILE), bytes);
      await expect(loadLexicalIndex(dir), name).resolves.toBeUndefined();
    }
    // A directory where the file should be is also "no index".
    await rm(join(dir, INDEX_FILE));
    await mkdtemp(join(dir, INDEX_FILE));
    expect(await loadLexicalIndex(dir)).toBeUndefined();
  });
});

describe('on the SQuAD v1.1 dev paragraphs (../shared/eval)', () => {
  const evalDir = join(import.meta.dirname, '..', '..', '..', 'shared', 'eval');
  const readJsonl = async <T>(name: string): Promise<T[]> =>
    (await readFile(join(evalDir, name), 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as T);

  it('finds the gold paragraph first for most questions, and a shorter list is a prefix of a longer one', async () => {
    const paragraphs = await readJsonl<{ id: string; title: string; text: string }>('squad-dev-passages.jsonl');
    const questions = (await readJsonl<{ question: string; passage_id: string }>('squad-dev-questions.jsonl')).filter(
      (_, i) => i % 20 === 0,
    );
    const index = built(
      paragraphs.map((p) => ({ id: p.id, documentId: p.id, ordinal: 0, title: p.title, text: p.text, start: 0, end: p.text.length })),
    );
    let first = 0;
    let top5 = 0;
    for (const q of questions) {
      const long = index.searchSync(q.question, { limit: 50 });
      const short = index.searchSync(q.question, { limit: 5 });
      expect(short).toEqual(long.slice(0, 5));
      const rank = short.findIndex((r) => r.passage.id === q.passage_id);
      if (rank === 0) first++;
      if (rank >= 0) top5++;
    }
    // Measured on all 10,570 questions: hit@1 0.814, hit@5 0.945 (bench/squad-quality.ts).
    expect(questions.length).toBe(529);
    expect(first / questions.length).toBeGreaterThan(0.78);
    expect(top5 / questions.length).toBeGreaterThan(0.92);
  });
});
