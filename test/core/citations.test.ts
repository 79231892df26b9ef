// Citation verification: only markers naming supplied passages survive, renumbered by first
// appearance, each resolving to a citation quoting the passage sentence the claim relied on.
import { describe, expect, it } from 'vitest';
import { defuseMentions, verifyCitations } from '../../src/core/citations.ts';
import { passage, scored } from '../models/helpers.ts';

const launch = passage('news/launch.md', 0, 'Launch slips', 'The rocket launch moved to May 12. Engineers found a valve fault. The crew is unchanged.');
const budget = passage('news/budget.md', 2, 'Budget', 'The council approved a budget of 4 million euros. Parks get the largest share.');
const weather = passage('notes/weather.txt', 0, 'Weather', 'Rain is expected on Tuesday.');
const describeDoc = (id: string) =>
  id === 'news/launch.md' ? { title: 'Launch slips to May', source: 'Space Daily', url: 'https://example.com/launch' } : undefined;

describe('verifyCitations', () => {
  it('removes an invented marker and keeps the valid ones', () => {
    const r = verifyCitations('The launch moved to May 12 [1]. The budget doubled [7].', [launch, budget]);
    expect(r.markdown).toBe('The launch moved to May 12 [1]. The budget doubled.');
    expect(r.removed).toEqual([7]);
    expect(r.citations.map((c) => c.passageId)).toEqual(['news/launch.md#0']);
  });

  it('renumbers markers 1..k in order of first appearance so [n] resolves to citations[n-1]', () => {
    const r = verifyCitations('Rain comes Tuesday [3]. The launch moved [1]. Rain again [3].', scored([launch, budget, weather]));
    expect(r.markdown).toBe('Rain comes Tuesday [1]. The launch moved [2]. Rain again [1].');
    expect(r.citations.map((c) => [c.n, c.passageId])).toEqual([
      [1, 'notes/weather.txt#0'],
      [2, 'news/launch.md#0'],
    ]);
    for (const m of r.markdown.matchAll(/\[(\d+)\]/g)) expect(r.citations[Number(m[1]) - 1]).toBeDefined();
  });

  it('splits grouped markers and drops the invalid members', () => {
    const r = verifyCitations('Both agree on the date [2, 1, 9, 2].', [launch, budget]);
    expect(r.markdown).toBe('Both agree on the date [1][2].');
    expect(r.removed).toEqual([9]);
  });

  it('treats [0] and out-of-range numbers as unknown', () => {
    const r = verifyCitations('Nothing here [0] or here [3].', [launch, budget]);
    expect(r.citations).toEqual([]);
    expect(r.removed).toEqual([0, 3]);
    expect(r.markdown).toBe('Nothing here or here.');
  });

  it('quotes the passage sentence that matches the claim, not just the first one', () => {
    const r = verifyCitations('A valve fault was found by engineers [1].', [launch], describeDoc);
    expect(r.citations[0]).toEqual({
      n: 1,
      passageId: 'news/launch.md#0',
      documentId: 'news/launch.md',
      title: 'Launch slips to May',
      source: 'Space Daily',
      url: 'https://example.com/launch',
      quote: 'Engineers found a valve fault.',
    });
  });

  it('collects one sentence per claim when a passage backs several claims', () => {
    const r = verifyCitations('The launch is on May 12 [1]. The crew is unchanged [1].', [launch]);
    expect(r.citations[0]?.quote).toBe('The rocket launch moved to May 12. The crew is unchanged.');
  });

  it('falls back to the passage title and document id without a describe lookup', () => {
    const r = verifyCitations('Parks get the most [1].', [budget]);
    expect(r.citations[0]).toMatchObject({ title: 'Budget', source: 'news/budget.md', quote: 'Parks get the largest share.' });
    expect(r.citations[0]).not.toHaveProperty('url');
  });

  it('measures coverage and grounding', () => {
    const full = verifyCitations('The launch moved to May 12 [1]. Parks get the largest share [2].', [launch, budget]);
    expect(full.coverage).toBe(1);
    expect(full.grounded).toBe(1);
    const half = verifyCitations('The launch moved to May 12 [1]. Also, bananas are yellow.', [launch]);
    expect(half.coverage).toBe(0.5);
    const unrelated = verifyCitations('Bananas are yellow [1].', [launch]);
    expect(unrelated.grounded).toBe(0);
    expect(unrelated.citations[0]?.quote).toBe('The rocket launch moved to May 12.');
  });

  it('defuses mass mentions in model text', () => {
    const r = verifyCitations('@everyone the launch moved [1] <!channel>', [launch]);
    expect(r.markdown).not.toMatch(/@everyone|<!channel>/);
    expect(defuseMentions('hi @here')).toBe('hi @\u200bhere');
  });
});
