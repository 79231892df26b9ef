import { paragraphRanges } from './sentences.ts';

/**
 * Page furniture: the text captured news pages carry around an article that is not the article —
 * photo captions with credits, app and newsletter promos, comment-form footers, share bars and lone
 * labels ("Source", "Advertisement"). It stays in the document (offsets stay true to the published
 * text) but is never used as an answer or summary sentence.
 *
 * Detection is by paragraph shape, not by matching particular outlets: a paragraph is furniture when it
 * is a label, a promo, a form footer, a contributor line, or a caption that ends with a photo credit.
 */

/** Short labels that stand alone on a line in captured pages. */
const LABELS = new Set([
  'source', 'sources', 'advertisement', 'advertisment', 'sponsored', 'share', 'share this', 'share this article',
  'comments', 'comment', 'read more', 'related', 'related articles', 'related stories', 'more from', 'photo',
  'image', 'credit', 'video', 'listen', 'print', 'email', 'tweet', 'back to top', 'top', 'menu', 'skip to content',
  'leave a reply', 'leave a comment', 'cancel reply', 'post comment', 'subscribe', 'sign up', 'log in', 'login',
  'follow us', 'trending', 'most read', 'most popular', 'recommended', 'newsletter',
]);

/** Comment forms, cookie banners and newsletter boxes. */
const FORM_FOOTER =
  /\b(leave a (reply|comment)|your email address will not be published|required fields are marked|post comment|cancel reply|save my name, email|notify me of (new|follow-up) (comments|posts)|we use cookies|accept (all )?cookies|all rights reserved|terms of (use|service)\b.*privacy|sign up for (our|the) newsletter|subscribe to (our|the) newsletter)\b/i;

/** Calls to action that promote the outlet's app, newsletter or social accounts. */
const PROMO =
  /^(download|get|install|try) (the |our )?[\w .&'-]{0,40}\b(app|apps|newsletter|podcast)\b|^(follow|like) us on\b|^(sign up|subscribe)\b.{0,80}\b(newsletter|updates|alerts|free)\b|^click here\b|^(read|see|watch) more\b.{0,60}$|^(share|tweet) this\b/i;

/** A photo credit at the end of a caption: "Name Name / Reuters", "/ AFP via Getty Images archive", "(AP Photo/…)". */
const CREDIT_TAIL =
  /(\s\/\s*[\p{Lu}][\p{L}.&'-]*(?:\s+[\p{L}.&'-]+){0,6}|\((?:AP|AFP|Reuters|Getty)[^)]{0,60}\)|\b(?:photo|image|picture)s?\s*(?:by|:|credit:?)\s*[\p{Lu}][^.!?]{0,80})\s*$/iu;

/** "A and B reported from X", "C contributed to this report". */
const CONTRIBUTOR = /^([\p{Lu}][\p{L}'’.-]+\s){1,4}.*\b(reported from|contributed (reporting )?to this (report|article|story)|contributed reporting)\b/u;

/** Why a paragraph is furniture, or undefined when it is article text. */
export function furnitureKind(paragraph: string): 'label' | 'form' | 'promo' | 'caption' | 'contributor' | undefined {
  const text = paragraph.trim().replace(/\s+/g, ' ');
  if (!text) return undefined;
  const bare = text.toLowerCase().replace(/[:.!|•·»›>\-–—]+$/u, '').trim();
  if (LABELS.has(bare)) return 'label';
  const wordCount = text.split(' ').length;
  if (FORM_FOOTER.test(text) && wordCount <= 60) return 'form';
  if (PROMO.test(text) && wordCount <= 25) return 'promo';
  if (CONTRIBUTOR.test(text) && wordCount <= 40) return 'contributor';
  if (wordCount <= 80 && CREDIT_TAIL.test(text) && !/[.!?]["”’)]?$/u.test(text)) return 'caption';
  return undefined;
}

/**
 * Character ranges of `text` whose paragraphs (separated by blank lines) are furniture. Sorted and
 * non-overlapping; each range covers the paragraph without its surrounding white space.
 */
export function findFurniture(text: string): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = [];
  for (const p of paragraphRanges(text)) {
    if (furnitureKind(text.slice(p.start, p.end))) ranges.push(p);
  }
  return ranges;
}

/** True when [start, end) overlaps any furniture range. */
export function inFurniture(ranges: ReadonlyArray<{ start: number; end: number }> | undefined, start: number, end: number): boolean {
  if (!ranges) return false;
  for (const r of ranges) if (start < r.end && end > r.start) return true;
  return false;
}
