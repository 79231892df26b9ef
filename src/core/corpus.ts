import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { BriefbotError } from '../errors.ts';
import { parseHtml } from './formats/html.ts';
import { parseMarkdown } from './formats/markdown.ts';
import { MalformedFileError, type ParsedFile } from './formats/parsed.ts';
import { parseText } from './formats/text.ts';
import { findFurniture } from './furniture.ts';
import { splitSentences } from './sentences.ts';
import type { Document, SkippedFile } from './types.ts';

/** File types the loader reads, by extension. */
export const SUPPORTED_EXTENSIONS: Readonly<Record<string, (raw: string) => ParsedFile>> = {
  '.md': parseMarkdown,
  '.markdown': parseMarkdown,
  '.txt': parseText,
  '.text': parseText,
  '.html': parseHtml,
  '.htm': parseHtml,
};

/** Default largest file read (5 MiB); bigger files are skipped with a warning. */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface LoadCorpusOptions {
  /** Corpus root folder. */
  dir: string;
  logger: Logger;
  /** Largest file read, in bytes; default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxFileBytes?: number;
  /** Called after each file with how many are done of how many (for progress bars). */
  onProgress?: (done: number, total: number) => void;
}

export interface CorpusSnapshot {
  /** Loaded documents, sorted by id. */
  documents: Document[];
  /** Files that could not be used, sorted by path, each with the reason (also logged once as a warning). */
  skipped: SkippedFile[];
}

/** The result of reading one file. */
export type FileResult = { document: Document } | { skipped: SkippedFile } | { ignored: true };

/**
 * Loads every supported file under `dir` (recursively; dot-files and dot-folders ignored). Bad files
 * (binary, empty, undecodable, oversized, malformed, unsupported type) are skipped with one warning
 * each and reported in `skipped`; they never stop the load. Throws only when `dir` itself is unreadable.
 */
export async function loadCorpus(options: LoadCorpusOptions): Promise<CorpusSnapshot> {
  let files: string[];
  try {
    files = await listFiles(options.dir);
  } catch (cause) {
    throw new BriefbotError('CORPUS_UNREADABLE', `Cannot read the documents folder ${options.dir}. Check DOCS_DIR.`, { cause });
  }
  const documents: Document[] = [];
  const skipped: SkippedFile[] = [];
  let done = 0;
  for (const rel of files) {
    const result = await loadFile(options.dir, rel, options);
    if ('document' in result) documents.push(result.document);
    else if ('skipped' in result) skipped.push(result.skipped);
    options.onProgress?.(++done, files.length);
  }
  documents.sort((a, b) => a.id.localeCompare(b.id));
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return { documents, skipped };
}

/** Relative paths (with `/`) of all non-hidden files under `dir`, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    const rel = path.relative(dir, abs).split(path.sep).join('/');
    if (rel.split('/').some((part) => part.startsWith('.'))) continue;
    out.push(rel);
  }
  return out.sort();
}

/**
 * Reads and parses one file. Returns the document, or why it was skipped (logged as one warning), or
 * `ignored` for files that vanished between listing and reading.
 */
export async function loadFile(dir: string, rel: string, options: Omit<LoadCorpusOptions, 'dir'>): Promise<FileResult> {
  const skip = (reason: string): FileResult => {
    options.logger.warn({ file: rel, reason }, `Skipping ${rel}: ${reason}`);
    return { skipped: { path: rel, reason } };
  };
  const parse = SUPPORTED_EXTENSIONS[path.extname(rel).toLowerCase()];
  if (!parse) return skip(`unsupported file type (briefbot reads ${Object.keys(SUPPORTED_EXTENSIONS).join(', ')})`);
  const abs = path.join(dir, rel);
  let bytes: Buffer;
  let mtimeMs: number;
  try {
    const info = await stat(abs);
    const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (info.size > max) return skip(`too large (${formatBytes(info.size)}; the limit is ${formatBytes(max)})`);
    mtimeMs = info.mtimeMs;
    bytes = await readFile(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ignored: true };
    return skip(`unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes.includes(0)) return skip('binary file (contains NUL bytes)');
  let raw: string;
  try {
    raw = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return skip('not valid UTF-8 text');
  }
  if (!raw.trim()) return skip('empty file');
  let parsed: ParsedFile;
  try {
    parsed = parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    if (error instanceof MalformedFileError) return skip(error.message);
    return skip(`could not be parsed (${(error as Error).message})`);
  }
  if (!parsed.text.trim()) return skip('no readable text');
  const furniture = findFurniture(parsed.text);
  const document: Document = {
    id: rel,
    title: parsed.title ?? deriveTitle(parsed.text, furniture, rel),
    source: parsed.source ?? path.basename(rel),
    text: parsed.text,
    hash: createHash('sha256').update(bytes).digest('hex'),
    mtimeMs,
  };
  if (parsed.url) document.url = parsed.url;
  if (parsed.publishedAt) document.publishedAt = parsed.publishedAt;
  if (furniture.length) document.furniture = furniture;
  return { document };
}

/** A title for a document that states none: its first non-furniture sentence, clipped at a word. */
export function deriveTitle(text: string, furniture: Array<{ start: number; end: number }>, rel: string): string {
  const first = splitSentences(text).find((s) => !furniture.some((r) => s.start < r.end && s.end > r.start));
  if (!first) return path.basename(rel, path.extname(rel));
  const sentence = first.text.replace(/[.!?]+$/, '');
  if (sentence.length <= 100) return sentence;
  const cut = sentence.slice(0, 100);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : 100).replace(/[,;:–—-]+$/, '')}…`;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
