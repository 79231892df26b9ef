import { describe, expect, it } from 'vitest';
import { QuestionError } from '../../src/errors.ts';
import { checkQuestion } from '../../src/core/question-guard.ts';

describe('checkQuestion', () => {
  it('cleans control characters and white space', () => {
    expect(checkQuestion('  What\u0000 happened\n\n in   May? ')).toBe('What happened in May?');
  });
  it('politely refuses empty, huge, symbol-only and term-flooded questions', () => {
    expect(() => checkQuestion('   ')).toThrow(QuestionError);
    expect(() => checkQuestion('why '.repeat(400), { maxChars: 1000 })).toThrow(/1599 characters long; the limit is 1000/);
    expect(() => checkQuestion('$$$ %%% ^^^ ***')).toThrow(/ask in words/);
    const flood = Array.from({ length: 120 }, (_, i) => `term${i}x`).join(' ');
    expect(() => checkQuestion(flood, { maxChars: 5000 })).toThrow(/too many different terms/);
  });
});
