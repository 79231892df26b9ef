/**
 * Reading the lexical index file (layout in index-format.ts): checks magic, version, checksum,
 * byte order and the invariants search relies on, then returns array views over the file buffer
 * and a passage table that decodes texts on demand.
 */
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { FORMAT_VERSION, type Header, INDEX_FILE, type IndexFile, MAGIC, type PassageTable, PREFIX } from './index-format.ts';
import type { PostingsData } from './posting-types.ts';

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
