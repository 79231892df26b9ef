/**
 * Writing the lexical index file (layout in index-format.ts): postings and passages encoded as
 * typed-array and string-table sections after a header, checksummed, and written atomically.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { align, FORMAT_VERSION, type Header, INDEX_FILE, MAGIC, PREFIX } from './index-format.ts';
import type { IndexParams, PostingsData } from './posting-types.ts';
import type { Passage } from './types.ts';

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
