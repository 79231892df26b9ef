import { normaliseText, type ParsedFile } from './parsed.ts';

/** Longest first line still taken as a title. */
const MAX_TITLE_LINE = 160;

/**
 * Plain text. The first line is the title when it looks like one (short, followed by a blank line or
 * not ending like a sentence); it is then removed from the body. Otherwise there is no title here and
 * the loader derives one.
 */
export function parseText(raw: string): ParsedFile {
  const text = normaliseText(raw);
  const newline = text.indexOf('\n');
  const first = (newline === -1 ? text : text.slice(0, newline)).trim();
  const rest = newline === -1 ? '' : text.slice(newline + 1);
  const looksLikeTitle =
    first.length > 0 && first.length <= MAX_TITLE_LINE && rest.trim().length > 0 && !/[.!?:;,]["”’)]?$/u.test(first);
  if (looksLikeTitle) return { text: normaliseText(rest), title: first };
  return { text };
}
