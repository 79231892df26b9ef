/**
 * The on-disk format of the lexical index: one binary file, written to a temporary name and renamed
 * into place so a reader never sees half a file. Layout (little-endian):
 *
 * `BBLEXIDX` · u32 version · u32 header length · u32 CRC-32 of everything after these 24 bytes · u32 0 ·
 * header JSON (params, counts, section table, caller meta) · sections, each 4-byte aligned.
 *
 * Sections are typed arrays (postings, lengths, offsets) and UTF-8 string tables, so loading is a
 * file read, a checksum and array views; passage texts stay in the file buffer and are decoded only
 * when a passage is first asked for.
 */
import type { IndexParams, PostingsData } from './posting-types.ts';
import type { Passage } from './types.ts';

/** File name of the saved index inside its directory. */
export const INDEX_FILE = 'lexical-index.bin';
/** Bumped whenever the layout or the tokenizer changes; other versions are rejected on load (caller rebuilds). */
export const FORMAT_VERSION = 2;
/** The first 8 bytes of every index file. */
export const MAGIC = Buffer.from('BBLEXIDX', 'latin1');
/** Bytes before the header JSON: magic, version, header length, CRC-32, zero. */
export const PREFIX = 24;

/** Passages as decoded from a file: ids eagerly, everything else on demand. */
export interface PassageTable {
  count: number;
  /** Passage id per slot. */
  ids: string[];
  /** Document id per slot. */
  documentIds: string[];
  /** Passage ordinal per slot. */
  ordinals: Int32Array;
  /** Decodes the passage in slot `i` (a new object each call). */
  get(i: number): Passage;
}

/** What `readIndexFile` (index-file-reader.ts) returns for a valid file. */
export interface IndexFile {
  params: IndexParams;
  postings: PostingsData;
  passages: PassageTable;
  meta: unknown;
}

/** The header JSON: parameters, counts, where each section lies (`[offset, length]` in bytes) and the caller's meta. */
export interface Header {
  params: IndexParams;
  endianness: string;
  terms: number;
  postings: number;
  slots: number;
  sections: Record<string, [offset: number, length: number]>;
  meta: unknown;
}

/** `n` rounded up to a multiple of 4 (every section starts 4-byte aligned). */
export function align(n: number): number {
  return (n + 3) & ~3;
}
