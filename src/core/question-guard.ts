import { QuestionError } from '../errors.ts';
import { tokenize } from './tokenizer.ts';

export interface QuestionGuardOptions {
  /** Longest question accepted, in characters after trimming; default 1000. */
  maxChars?: number;
  /** Most distinct search terms accepted; default 80. */
  maxTerms?: number;
}

/**
 * Cleans a question (control characters removed, white space collapsed) and refuses what cannot be
 * a fair question with a polite {@link QuestionError}: empty, over-long, term-flooded, or mostly
 * symbols. Returns the cleaned question.
 */
export function checkQuestion(raw: string, options: QuestionGuardOptions = {}): string {
  const maxChars = options.maxChars ?? 1000;
  const maxTerms = options.maxTerms ?? 80;
  const text = raw.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2028-\u202e\ufeff]/g, '').replace(/\s+/g, ' ').trim();
  if (!text) throw new QuestionError('Please ask a question about the documents, for example: "What did the letter propose?"');
  if (text.length > maxChars) {
    throw new QuestionError(`That question is ${text.length} characters long; the limit is ${maxChars}. Please shorten it and ask again.`);
  }
  const letters = (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
  if (letters < 2 || letters / text.length < 0.4) {
    throw new QuestionError("That doesn't look like a question I can search the documents for. Please ask in words.");
  }
  const terms = new Set(tokenize(text));
  if (terms.size > maxTerms) {
    throw new QuestionError(`That question has too many different terms to search well (${terms.size}; the limit is ${maxTerms}). Please narrow it down.`);
  }
  return text;
}
