/**
 * The on-disk form of the lexical index: one binary file, written to a temporary name and renamed
 * into place so a reader never sees half a file. Layout (little-endian):
 *
 * `BBLEXIDX` · u32 version · u32 header length · u32 CRC-32 of everything after these 24 bytes · u32 0 ·
 * header JSON (params, counts, section table, caller meta) · sections, each 4-byte aligned.
 *
 * Sections are typed arrays (postings, lengths, offsets) and UTF-8 string tables, so loading is a
 * file read, a checksum and array views; passage texts stay in the file buffer and are decoded only
 * when a passage is first asked for.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { IndexParams, PostingsData } from './posting-types.ts';
import type { Passage } from './types.ts';

/** File name of the saved index inside its directory. */
export const INDEX_FILE = 'lexical-index.bin';
/** Bumped whenever the layout or the tokenizer changes; other versions are rejected on load (caller rebuilds). */
export const FORMAT_VERSION = 2;
const MAGIC = Buffer.from('BBLEXIDX', 'latin1');
const PREFIX = 24;

export type { IndexParams };

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

/** What {@link readIndexFile} returns for a valid file. */
export interface IndexFile {
  params: IndexParams;
  postings: PostingsData;
  passages: PassageTable;
  meta: unknown;
}

interface Header {
  params: IndexParams;
  endianness: string;
  terms: number;
  postings: number;
  slots: number;
  sections: Record<string, [offset: number, length: number]>;
  meta: unknown;
}

/** Encodes strings as one UTF-8 blob plus byte offsets (`count + 1` entries). */
function stringTable(values: readonly string[]): { index: Int32Array; blob: Buffer } {
  const index = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += Buffer.byteLength(values[i] as string, 'utf8');
    index[i + 1] = total;
  }
  const blob = Buffer.allocUnsafe(total);
  for (let i = 0; i < values.length; i++) blob.write(values[i] as string, index[i] as number, 'utf8');
  return { index, blob };
}

function bytes(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * Writes the index atomically as `dir/lexical-index.bin` (temp file, fsync, rename), creating `dir`.
 * `passageAt(i)` gives the passage of slot i for `i < postings.bodyLengths.length`.
 */
export async function writeIndexFile(
  dir: string,
  params: IndexParams,
  postings: PostingsData,
  passageAt: (slot: number) => Passage,
  meta: unknown,
): Promise<void> {
  const slots = postings.bodyLengths.length;
  const ordinals = new Int32Array(slots);
  const starts = new Int32Array(slots);
  const ends = new Int32Array(slots);
  const docIndex = new Int32Array(slots);
  const titleIndex = new Int32Array(slots);
  const ids: string[] = [];
  const texts: string[] = [];
  const docs = new Map<string, number>();
  const titles = new Map<string, number>();
  for (let s = 0; s < slots; s++) {
    const p = passageAt(s);
    ids.push(p.id);
    texts.push(p.text);
    ordinals[s] = p.ordinal;
    starts[s] = p.start;
    ends[s] = p.end;
    if (!docs.has(p.documentId)) docs.set(p.documentId, docs.size);
    docIndex[s] = docs.get(p.documentId) as number;
    if (!titles.has(p.title)) titles.set(p.title, titles.size);
    titleIndex[s] = titles.get(p.title) as number;
  }
  const idTable = stringTable(ids);
  const docTable = stringTable([...docs.keys()]);
  const titleTable = stringTable([...titles.keys()]);
  const textTable = stringTable(texts);
  const parts: Array<[string, Buffer]> = [
    ['terms', Buffer.from(postings.terms.join('\n'), 'utf8')],
    ['offsets', bytes(postings.offsets)],
    ['slots', bytes(postings.slots)],
    ['bodyTfs', bytes(postings.bodyTfs)],
    ['titleTfs', bytes(postings.titleTfs)],
    ['bodyLengths', bytes(postings.bodyLengths)],
    ['titleLengths', bytes(postings.titleLengths)],
    ['sequence', bytes(postings.sequence)],
    ['ordinals', bytes(ordinals)],
    ['starts', bytes(starts)],
    ['ends', bytes(ends)],
    ['docIndex', bytes(docIndex)],
    ['titleIndex', bytes(titleIndex)],
    ['idsIndex', bytes(idTable.index)],
    ['idsBlob', idTable.blob],
    ['docsIndex', bytes(docTable.index)],
    ['docsBlob', docTable.blob],
    ['titlesIndex', bytes(titleTable.index)],
    ['titlesBlob', titleTable.blob],
    ['textsIndex', bytes(textTable.index)],
    ['textsBlob', textTable.blob],
  ];
  // The header holds section offsets, which depend on the header's own length: lay out twice.
  const layout = (headerLength: number) => {
    const sections: Header['sections'] = {};
    let at = align(PREFIX + headerLength);
    for (const [name, buf] of parts) {
      sections[name] = [at, buf.length];
      at = align(at + buf.length);
    }
    return { sections, total: at };
  };
  const header: Header = {
    params,
    endianness: endianness(),
    terms: postings.terms.length,
    postings: postings.slots.length,
    slots,
    sections: {},
    meta: meta ?? null,
  };
  // Section offsets depend on the header's length: reserve room using offsets that are surely
  // larger (more digits), then write the real ones and pad the header with spaces.
  header.sections = layout(1 << 30).sections;
  const reserved = Buffer.byteLength(JSON.stringify(header), 'utf8') + 16;
  const { sections, total } = layout(reserved);
  header.sections = sections;
  const json = Buffer.alloc(reserved, 0x20);
  json.write(JSON.stringify(header), 0, 'utf8');
  const chunks: Buffer[] = [Buffer.alloc(PREFIX), json];
  let at = PREFIX + json.length;
  for (const [name, buf] of parts) {
    const [offset] = sections[name] as [number, number];
    if (offset > at) chunks.push(Buffer.alloc(offset - at));
    chunks.push(buf);
    at = offset + buf.length;
  }
  if (total > at) chunks.push(Buffer.alloc(total - at));
  let crc = 0;
  for (let i = 1; i < chunks.length; i++) {
    // Skip empty chunks: zlib's crc32 of a NULL buffer (an empty typed array's) resets to 0.
    if ((chunks[i] as Buffer).length > 0) crc = crc32(chunks[i] as Buffer, crc);
  }
  const prefix = chunks[0] as Buffer;
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(FORMAT_VERSION, 8);
  prefix.writeUInt32LE(json.length, 12);
  prefix.writeUInt32LE(crc, 16);

  await mkdir(dir, { recursive: true });
  const target = join(dir, INDEX_FILE);
  const temp = join(dir, `.${INDEX_FILE}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writev(chunks);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function align(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Reads `dir/lexical-index.bin`. Returns undefined when the file is missing, truncated, fails its
 * checksum, has another format version or byte order, or is inconsistent. Never throws for bad data.
 */
export async function readIndexFile(dir: string): Promise<IndexFile | undefined> {
  let file: Buffer;
  try {
    file = await readFile(join(dir, INDEX_FILE));
  } catch {
    return undefined;
  }
  try {
    return decode(file);
  } catch {
    return undefined;
  }
}

function decode(raw: Buffer): IndexFile | undefined {
  if (raw.length < PREFIX || !raw.subarray(0, 8).equals(MAGIC)) return undefined;
  if (raw.readUInt32LE(8) !== FORMAT_VERSION) return undefined;
  const jsonLength = raw.readUInt32LE(12);
  if (PREFIX + jsonLength > raw.length) return undefined;
  if (crc32(raw.subarray(PREFIX)) !== raw.readUInt32LE(16)) return undefined;
  // Typed-array views need 4-byte alignment of the underlying memory.
  const file = raw.byteOffset % 4 === 0 ? raw : Buffer.from(raw);
  const header = JSON.parse(file.toString('utf8', PREFIX, PREFIX + jsonLength)) as Header;
  if (header.endianness !== endianness()) return undefined;
  const { terms: termCount, postings: postingCount, slots } = header;
  const section = (name: string, bytesPer: number, count: number): [number, number] => {
    const entry = header.sections[name];
    if (!entry) throw new Error(`missing section ${name}`);
    const [offset, length] = entry;
    if (offset % 4 !== 0 || offset < PREFIX || offset + length > file.length) throw new Error(`bad section ${name}`);
    if (count >= 0 && length !== count * bytesPer) throw new Error(`bad length of ${name}`);
    return [file.byteOffset + offset, length];
  };
  const i32 = (name: string, count: number) => {
    const [at, length] = section(name, 4, count);
    return new Int32Array(file.buffer, at, length / 4);
  };
  const blob = (name: string) => {
    const [at, length] = section(name, 1, -1);
    return Buffer.from(file.buffer, at, length);
  };
  const [tfAt] = section('bodyTfs', 2, postingCount);
  const [ttAt] = section('titleTfs', 1, postingCount);
  const termsText = blob('terms').toString('utf8');
  const terms = termCount === 0 ? [] : termsText.split('\n');
  if (terms.length !== termCount) return undefined;
  const postings: PostingsData = {
    terms,
    offsets: i32('offsets', termCount + 1),
    slots: i32('slots', postingCount),
    bodyTfs: new Uint16Array(file.buffer, tfAt, postingCount),
    titleTfs: new Uint8Array(file.buffer, ttAt, postingCount),
    bodyLengths: i32('bodyLengths', slots),
    titleLengths: i32('titleLengths', slots),
    sequence: i32('sequence', -1),
  };
  if (!consistent(postings, slots)) return undefined;
  const strings = (name: string, count: number) => {
    const index = i32(`${name}Index`, count + 1);
    const data = blob(`${name}Blob`);
    if (index[0] !== 0 || index[count] !== data.length) throw new Error(`bad string table ${name}`);
    return { count, get: (i: number) => data.toString('utf8', index[i], index[i + 1]) };
  };
  const ids = strings('ids', slots);
  const docIndex = i32('docIndex', slots);
  const titleIndex = i32('titleIndex', slots);
  const docTable = strings('docs', (section('docsIndex', 4, -1)[1] >> 2) - 1);
  const titleTable = strings('titles', (section('titlesIndex', 4, -1)[1] >> 2) - 1);
  const texts = strings('texts', slots);
  const ordinals = i32('ordinals', slots);
  const starts = i32('starts', slots);
  const ends = i32('ends', slots);
  const docNames: string[] = [];
  for (let d = 0; d < docTable.count; d++) docNames.push(docTable.get(d));
  const titleNames: string[] = [];
  for (let t = 0; t < titleTable.count; t++) titleNames.push(titleTable.get(t));
  const passageIds: string[] = new Array(slots);
  const documentIds: string[] = new Array(slots);
  for (let s = 0; s < slots; s++) {
    passageIds[s] = ids.get(s);
    const doc = docNames[docIndex[s] as number];
    if (doc === undefined || titleNames[titleIndex[s] as number] === undefined) return undefined;
    documentIds[s] = doc;
  }
  const passages: PassageTable = {
    count: slots,
    ids: passageIds,
    documentIds,
    ordinals,
    get: (i) => ({
      id: passageIds[i] as string,
      documentId: documentIds[i] as string,
      ordinal: ordinals[i] as number,
      title: titleNames[titleIndex[i] as number] as string,
      text: texts.get(i),
      start: starts[i] as number,
      end: ends[i] as number,
    }),
  };
  return { params: header.params, postings, passages, meta: header.meta };
}

/** Checks the invariants search relies on, so a damaged file cannot cause out-of-range reads. */
function consistent(p: PostingsData, slots: number): boolean {
  const { offsets } = p;
  if (offsets[0] !== 0 || offsets[offsets.length - 1] !== p.slots.length) return false;
  for (let t = 1; t < offsets.length; t++) if ((offsets[t] as number) < (offsets[t - 1] as number)) return false;
  for (let j = 0; j < p.slots.length; j++) {
    const s = p.slots[j] as number;
    if (s < 0 || s >= slots) return false;
  }
  let tokens = 0;
  for (let s = 0; s < slots; s++) tokens += p.bodyLengths[s] as number;
  if (tokens !== p.sequence.length) return false;
  const terms = p.terms.length;
  for (let j = 0; j < p.sequence.length; j++) {
    const t = p.sequence[j] as number;
    if (t < 0 || t >= terms) return false;
  }
  return true;
}
