/**
 * Retrieval quality of the lexical index on SQuAD v1.1 dev: all 2,067 paragraphs indexed (id, title,
 * text), all 10,570 questions asked. Prints hit@1, hit@5 and MRR@10.
 *
 *   node bin/run-ts.js bench/squad-quality.ts [--k1 N] [--b N] [--title-weight N] [--limit N]
 */
import { parseArgs } from 'node:util';
import { createLexicalIndex } from '../src/core/lexical-index.ts';
import { loadSquad, quality, sample, toPassage } from './squad.ts';

const { values } = parseArgs({
  options: {
    k1: { type: 'string' },
    b: { type: 'string' },
    'title-weight': { type: 'string' },
    limit: { type: 'string' },
  },
});
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const { passages, questions } = loadSquad();
const asked = values.limit ? sample(questions, Number(values.limit)) : questions;
const index = createLexicalIndex({ k1: num(values.k1), b: num(values.b), titleWeight: num(values['title-weight']) });
let t = performance.now();
index.addAll(passages.map(toPassage));
const buildMs = performance.now() - t;
t = performance.now();
const result = quality(asked, (q) => index.searchSync(q.question, { limit: 10 }).map((r) => r.passage.id));
const queryMs = (performance.now() - t) / asked.length;
console.log(
  `passages ${passages.length}  questions ${result.queries}  hit@1 ${result.hitAt1.toFixed(4)}  hit@5 ${result.hitAt5.toFixed(4)}  MRR@10 ${result.mrrAt10.toFixed(4)}  (build ${buildMs.toFixed(0)} ms, ${queryMs.toFixed(3)} ms/query)`,
);
