/**
 * `npm run bench`: our lexical index against MiniSearch (stop words + Porter), side by side in one
 * run, at 2k (the real SQuAD dev paragraphs), 10k (4 perturbed copies) and 100k (48 copies)
 * passages — see ../shared/eval/README.md. For each: build time, save, persisted-index load time,
 * query p50/p99 (2,000 dev questions, seed 7; all 10,570 at 2k), memory growth after GC, hit@1/hit@5.
 * Prints a table with MiniSearch/ours ratios, checks the 100k targets and writes bench/results.json.
 *
 * Columns: "built MB" = memory growth after building, after GC: V8 heap plus ArrayBuffers (our
 * postings are typed arrays, which `heapUsed` alone would not show). "loaded MB" = heap + buffers
 * retained by an index loaded from disk (ours keeps the file buffer, passage texts included).
 * hit@k over the 2,000 sampled questions at every scale; a copy of the gold paragraph counts.
 *
 * Flags: --skip-minisearch-100k, --minisearch-queries-100k N (default 500: MiniSearch needs ~100 ms
 * per query there), --queries N (default 2000), --scales 2k,10k,100k, --out FILE.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Engine, miniSearchEngine, ourEngine } from './engines.ts';
import { canGc, growth, memory, percentile, round, timed } from './measure.ts';
import { baseId, loadSquad, type SquadQuestion, sample, scaleCorpus } from './squad.ts';

const { values } = parseArgs({
  options: {
    'skip-minisearch-100k': { type: 'boolean', default: false },
    'minisearch-queries-100k': { type: 'string', default: '500' },
    queries: { type: 'string', default: '2000' },
    scales: { type: 'string', default: '2k,10k,100k' },
    out: { type: 'string', default: join(import.meta.dirname, 'results.json') },
  },
});

const SCALES: Record<string, number> = { '2k': 0, '10k': 4, '100k': 48 };
const TARGETS_100K = { buildMs: 5000, loadMs: 1000, p50Ms: 3, p99Ms: 15, memoryMB: 200 };

interface Row {
  scale: string;
  passages: number;
  engine: string;
  queries: number;
  buildMs: number;
  saveMs: number;
  fileMB: number;
  loadMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Growth after building, GC'd: V8 heap, buffers outside it, and both. */
  buildHeapMB: number;
  buildBuffersMB: number;
  buildMemoryMB: number;
  /** Heap + buffers retained by a freshly loaded index (what a restarted bot holds). */
  loadMemoryMB: number;
  /** Over the 2,000-question sample (comparable across scales). */
  hitAt1: number;
  hitAt5: number;
  mrrAt10: number;
  /** At 2k only: over all 10,570 dev questions. */
  full?: { queries: number; hitAt1: number; hitAt5: number; mrrAt10: number };
}

function score(questions: SquadQuestion[], ranked: Map<string, string[]>) {
  let h1 = 0;
  let h5 = 0;
  let mrr = 0;
  for (const q of questions) {
    const rank = (ranked.get(q.id) ?? []).findIndex((id) => baseId(id) === q.passage_id);
    if (rank === 0) h1++;
    if (rank >= 0 && rank < 5) h5++;
    if (rank >= 0) mrr += 1 / (rank + 1);
  }
  const n = Math.max(1, questions.length);
  return { queries: questions.length, hitAt1: round(h1 / n), hitAt5: round(h5 / n), mrrAt10: round(mrr / n) };
}

async function measure(
  engine: Engine,
  scale: string,
  corpus: ReturnType<typeof scaleCorpus>,
  asked: SquadQuestion[],
  sampled: SquadQuestion[],
  warmup: SquadQuestion[],
): Promise<Row> {
  const input = engine.prepare(corpus);
  const before = await memory();
  const [, buildMs] = await timed(() => engine.build(input));
  const built = await growth(before);
  const dir = await mkdtemp(join(tmpdir(), `briefbot-bench-${engine.name}-`));
  try {
    const [bytes, saveMs] = await timed(() => engine.save(dir));
    engine.drop();
    const [, loadMs] = await timed(() => engine.load(dir));
    const withLoaded = await memory();
    for (const q of warmup) engine.search(q.question);
    const times: number[] = [];
    const ranked = new Map<string, string[]>();
    for (const q of asked) {
      const start = performance.now();
      const ids = engine.search(q.question);
      times.push(performance.now() - start);
      ranked.set(q.id, ids);
    }
    engine.drop();
    // Retained by the loaded index: memory with it minus memory once it is dropped (less
    // sensitive to garbage of earlier steps than growth from a snapshot before loading).
    const afterDrop = await memory();
    const loadedMB = withLoaded.heapMB + withLoaded.buffersMB - afterDrop.heapMB - afterDrop.buffersMB;
    const onSample = score(
      sampled.filter((q) => ranked.has(q.id)),
      ranked,
    );
    const row: Row = {
      scale,
      passages: corpus.length,
      engine: engine.name,
      queries: asked.length,
      buildMs: round(buildMs),
      saveMs: round(saveMs),
      fileMB: round(bytes / 2 ** 20),
      loadMs: round(loadMs),
      p50Ms: round(percentile(times, 50)),
      p99Ms: round(percentile(times, 99)),
      buildHeapMB: round(built.heapMB),
      buildBuffersMB: round(built.buffersMB),
      buildMemoryMB: round(built.totalMB),
      loadMemoryMB: round(loadedMB),
      hitAt1: onSample.hitAt1,
      hitAt5: onSample.hitAt5,
      mrrAt10: onSample.mrrAt10,
    };
    if (asked.length > sampled.length) row.full = score(asked, ranked);
    return row;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function table(rows: Row[]): string {
  const head = ['scale', 'engine', 'passages', 'queries', 'build ms', 'load ms', 'p50 ms', 'p99 ms', 'built MB', '(heap', 'buffers)', 'loaded MB', 'file MB', 'hit@1', 'hit@5'];
  const lines = rows.map((r) => [r.scale, r.engine, r.passages, r.queries, r.buildMs, r.loadMs, r.p50Ms, r.p99Ms, r.buildMemoryMB, r.buildHeapMB, r.buildBuffersMB, r.loadMemoryMB, r.fileMB, r.hitAt1, r.hitAt5].map(String));
  for (const scale of new Set(rows.map((r) => r.scale))) {
    const ours = rows.find((r) => r.scale === scale && r.engine === 'briefbot');
    const mini = rows.find((r) => r.scale === scale && r.engine === 'minisearch');
    if (!ours || !mini) continue;
    const ratio = (a: number, b: number) => `${round(a / b)}x`;
    lines.push([scale, 'minisearch/ours', '', '', ratio(mini.buildMs, ours.buildMs), ratio(mini.loadMs, ours.loadMs), ratio(mini.p50Ms, ours.p50Ms), ratio(mini.p99Ms, ours.p99Ms), ratio(mini.buildMemoryMB, ours.buildMemoryMB), '', '', ratio(mini.loadMemoryMB, ours.loadMemoryMB), ratio(mini.fileMB, ours.fileMB), '', '']);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [fmt(head), fmt(head.map((_, i) => '-'.repeat(widths[i] as number))), ...lines.map(fmt)].join('\n');
}

function targets(rows: Row[]): Array<{ target: string; value: number; limit: number; pass: boolean }> {
  const at100k = rows.find((r) => r.scale === '100k' && r.engine === 'briefbot');
  const at2k = rows.find((r) => r.scale === '2k' && r.engine === 'briefbot');
  if (!at100k) return [];
  const checks = [
    { target: 'build ms <= 5000', value: at100k.buildMs, limit: TARGETS_100K.buildMs },
    { target: 'load ms <= 1000', value: at100k.loadMs, limit: TARGETS_100K.loadMs },
    { target: 'query p50 ms <= 3', value: at100k.p50Ms, limit: TARGETS_100K.p50Ms },
    { target: 'query p99 ms <= 15', value: at100k.p99Ms, limit: TARGETS_100K.p99Ms },
    { target: 'memory growth MB (heap + buffers) <= 200', value: at100k.buildMemoryMB, limit: TARGETS_100K.memoryMB },
  ].map((c) => ({ ...c, pass: c.value <= c.limit }));
  if (at2k) {
    checks.push({ target: 'hit@1 at 100k >= hit@1 at 2k (same 2,000 questions)', value: at100k.hitAt1, limit: at2k.hitAt1, pass: at100k.hitAt1 >= at2k.hitAt1 });
  }
  return checks;
}

async function main(): Promise<void> {
  if (!canGc) console.warn('warning: run with node --expose-gc (npm run bench does) or memory numbers include garbage');
  const started = performance.now();
  const { passages, questions } = loadSquad();
  const sampled = sample(questions, Number(values.queries), 7);
  const warmup = sample(questions, 50, 11);
  const rows: Row[] = [];
  for (const scale of values.scales.split(',')) {
    const copies = SCALES[scale];
    if (copies === undefined) throw new Error(`unknown scale ${scale} (use 2k, 10k, 100k)`);
    const corpus = scaleCorpus(passages, copies, 7);
    for (const engine of [ourEngine(), miniSearchEngine()]) {
      let asked = copies === 0 ? questions : sampled;
      if (engine.name === 'minisearch' && scale === '100k') {
        if (values['skip-minisearch-100k']) continue;
        asked = sample(sampled, Number(values['minisearch-queries-100k']), 7);
      }
      const row = await measure(engine, scale, corpus, asked, sampled, warmup);
      rows.push(row);
      console.log(`${scale} ${engine.name}: build ${row.buildMs} ms, load ${row.loadMs} ms, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, hit@1 ${row.hitAt1}`);
    }
  }
  console.log(`\n${table(rows)}`);
  console.log('built MB = heap + buffers growth after building (GC); loaded MB = retained by an index loaded from disk;');
  console.log('hit@k on the same 2,000 sampled questions at every scale (MiniSearch at 100k: a 500-question subsample).\n');
  const full = rows.filter((r) => r.full).map((r) => `${r.engine}: ${JSON.stringify(r.full)}`);
  if (full.length) console.log(`SQuAD dev, all questions at 2k:\n  ${full.join('\n  ')}\n`);
  const checks = targets(rows);
  for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.target}: ${c.value} (limit ${c.limit})`);
  const totalS = round((performance.now() - started) / 1000);
  console.log(`\nbench took ${totalS} s`);
  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', date: new Date().toISOString() };
  await writeFile(values.out, `${JSON.stringify({ machine, totalS, rows, targets: checks }, null, 1)}\n`);
}

await main();
