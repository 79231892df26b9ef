/** What a format parser extracts from one file's decoded text. */
export interface ParsedFile {
  /** Body text, paragraphs separated by a blank line. */
  text: string;
  title?: string;
  /** Outlet or author organisation. */
  source?: string;
  url?: string;
  publishedAt?: string;
}

/** Thrown by a parser when the file is malformed; the loader skips the file with this reason. */
export class MalformedFileError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'MalformedFileError';
  }
}

/** Normalises a date-like front-matter or meta value to an ISO date string, or undefined. */
export function isoDate(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Normalises line endings and trims trailing spaces; paragraphs end up separated by exactly one blank line. */
export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
