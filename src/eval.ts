import { readFile } from 'node:fs/promises';
import { BriefbotError } from './errors.ts';
import { createExtractiveAnswerer } from './core/extractive-answerer.ts';
import { createLexicalIndex } from './core/lexical-index.ts';
import type { Passage } from './core/types.ts';

/** One line of the passages file (see ../shared/eval/README.md). */
interface EvalPassage {
  id: string;
  title: string;
  text: string;
}
/** One line of the questions file. */
interface EvalQuestion {
  id: string;
  question: string;
  answers: string[];
  passage_id: string;
}

export interface EvalOptions {
  passagesFile: string;
  questionsFile: string;
  /** Only the first N questions. */
  limit?: number;
}

/** The `briefbot eval --json` contract. */
export interface EvalResult {
  queries: number;
  hitAt1: number;
  hitAt5: number;
  mrrAt10: number;
  /** Share of questions whose extractive answer text (at most 2 sentences) contains a gold answer, case-insensitive. */
  answerHit: number;
  /** Retrieval time per query (search only), median and 99th percentile. */
  msPerQueryP50: number;
  msPerQueryP99: number;
  /** Average sentences per answer (the extractive answerer gives at most 2). */
  sentencesPerAnswer: number;
}

/**
 * Indexes every passage of a QA set with the production retriever and answers every question with
 * the production extractive answerer, measuring retrieval hits and answer hits.
 */
export async function runEval(options: EvalOptions): Promise<EvalResult> {
  const passages = (await readJsonl<EvalPassage>(options.passagesFile)).map(
    (p): Passage => ({ id: p.id, documentId: p.id, ordinal: 0, title: p.title, text: p.text, start: 0, end: p.text.length }),
  );
  let questions = await readJsonl<EvalQuestion>(options.questionsFile);
  if (options.limit) questions = questions.slice(0, options.limit);
  if (!passages.length || !questions.length) throw new BriefbotError('USAGE', 'The passages and questions files must not be empty.');

  const index = createLexicalIndex();
  index.addAll(passages);
  const titles = new Map(passages.map((p) => [p.id, p.title]));
  const answerer = createExtractiveAnswerer({
    describe: (id) => ({ title: titles.get(id) ?? id, source: 'eval' }),
    weight: (t) => index.termWeight(t),
  });

  let hit1 = 0;
  let hit5 = 0;
  let rr = 0;
  let answerHits = 0;
  let sentences = 0;
  const times: number[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    const results = index.searchSync(q.question, { limit: 10 });
    times.push(performance.now() - t0);
    const rank = results.findIndex((r) => r.passage.id === q.passage_id);
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 5) hit5++;
    if (rank >= 0) rr += 1 / (rank + 1);
    const answer = answerer.answer(q.question, results.slice(0, 5));
    if (answer.found) {
      const text = answer.citations.map((c) => c.quote).join(' ').toLowerCase();
      sentences += answer.markdown.split(/\[\d+\]/).filter((s) => s.trim()).length;
      if (q.answers.some((a) => text.includes(a.toLowerCase()))) answerHits++;
    }
  }
  times.sort((a, b) => a - b);
  const n = questions.length;
  const pct = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  const round = (x: number): number => Math.round(x * 10000) / 10000;
  return {
    queries: n,
    hitAt1: round(hit1 / n),
    hitAt5: round(hit5 / n),
    mrrAt10: round(rr / n),
    answerHit: round(answerHits / n),
    msPerQueryP50: round(pct(0.5)),
    msPerQueryP99: round(pct(0.99)),
    sentencesPerAnswer: round(sentences / n),
  };
}

async function readJsonl<T>(file: string): Promise<T[]> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (cause) {
    throw new BriefbotError('USAGE', `Cannot read ${file}.`, { cause });
  }
  const out: T[] = [];
  raw.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (cause) {
      throw new BriefbotError('USAGE', `${file}:${i + 1} is not valid JSON.`, { cause });
    }
  });
  return out;
}
