/**
 * The lexical index's per-slot passage records: each slot's passage (decoded lazily for a loaded
 * index), id, document and ordinal, plus the id → slot and document → slots lookups. The lookups
 * are rebuilt lazily after a load or a merge; a document's slots are kept in ordinal order.
 */
import type { PassageTable } from './index-format.ts';
import type { Postings } from './postings.ts';
import type { Passage } from './types.ts';

/** Slot-indexed passage data over one {@link Postings} (whose `dead` flags say which slots are live). */
export class SlotTable {
  /** Per slot: the passage (undefined while not yet decoded from a loaded file), its id and document. */
  private passages: Array<Passage | undefined> = [];
  private slotIds: string[] = [];
  private slotDocs: string[] = [];
  private slotOrdinals: number[] = [];
  /** For a loaded index: decodes a passage of the file, and which file row each slot is (-1: none). */
  private lazy: ((row: number) => Passage) | undefined;
  private lazySlot: Int32Array = new Int32Array(0);
  private slotOfId = new Map<string, number>();
  private slotsOfDoc = new Map<string, number[]>();
  /** True when the two lookups above must be rebuilt before use. */
  private lookupsStale = false;

  constructor(private readonly postings: Postings) {}

  /** Takes every slot from a loaded file: slot i is row i, decoded on first use. */
  loadFrom(table: PassageTable): void {
    this.passages = new Array(table.count);
    this.lazy = table.get;
    this.lazySlot = Int32Array.from({ length: table.count }, (_, i) => i);
    this.slotIds = table.ids;
    this.slotDocs = table.documentIds;
    this.slotOrdinals = Array.from(table.ordinals);
    this.reindexSlots();
  }

  /** Records passage `p` in `slot` (`lazyRow`: its file row, -1 for none). */
  register(slot: number, p: Passage, lazyRow: number): void {
    this.passages[slot] = p;
    this.slotIds[slot] = p.id;
    this.slotDocs[slot] = p.documentId;
    this.slotOrdinals[slot] = p.ordinal;
    if (slot < this.lazySlot.length) this.lazySlot[slot] = lazyRow;
    this.index(slot);
  }

  /** Forgets the passage `p` held in `slot` (the slot itself stays, as a tombstone). */
  remove(slot: number, p: Passage): void {
    const list = this.lookupsStale ? undefined : this.slotsOfDoc.get(p.documentId);
    this.slotOfId.delete(p.id);
    if (list) {
      const rest = list.filter((s) => s !== slot);
      if (rest.length === 0) this.slotsOfDoc.delete(p.documentId);
      else this.slotsOfDoc.set(p.documentId, rest);
    }
    this.passages[slot] = undefined;
    if (slot < this.lazySlot.length) this.lazySlot[slot] = -1;
  }

  /** Moves per-slot data to the slots a merge assigned (`remap[old]`, -1: dropped; order kept) and marks the lookups stale. */
  applyRemap(remap: Int32Array): void {
    const live = this.postings.slotCount;
    const passages: Array<Passage | undefined> = new Array(live);
    const ids: string[] = new Array(live);
    const docs: string[] = new Array(live);
    const ordinals: number[] = new Array(live);
    const lazySlot = new Int32Array(live).fill(-1);
    for (let s = 0; s < remap.length; s++) {
      const n = remap[s] as number;
      if (n < 0) continue;
      passages[n] = this.passages[s];
      ids[n] = this.slotIds[s] as string;
      docs[n] = this.slotDocs[s] as string;
      ordinals[n] = this.slotOrdinals[s] as number;
      if (s < this.lazySlot.length) lazySlot[n] = this.lazySlot[s] as number;
    }
    this.passages = passages;
    this.slotIds = ids;
    this.slotDocs = docs;
    this.slotOrdinals = ordinals;
    this.lazySlot = lazySlot;
    this.reindexSlots();
  }

  /** Marks the id → slot and document → slots lookups for a rebuild on their next use. */
  reindexSlots(): void {
    this.lookupsStale = true;
  }

  /** The lookups, rebuilt from the per-slot arrays when stale (after a load or a merge). */
  lookups(): { ids: Map<string, number>; docs: Map<string, number[]> } {
    if (this.lookupsStale) {
      this.lookupsStale = false;
      this.slotOfId.clear();
      this.slotsOfDoc.clear();
      const n = Math.min(this.slotIds.length, this.postings.slotCount);
      for (let s = 0; s < n; s++) {
        if (this.slotIds[s] !== undefined && this.postings.dead[s] !== 1) this.index(s);
      }
    }
    return { ids: this.slotOfId, docs: this.slotsOfDoc };
  }

  /** The passage in `slot`, decoding it from the loaded file on first use; throws for an empty slot. */
  passageAt(slot: number): Passage {
    let p = this.passages[slot];
    if (p === undefined) {
      const row = this.lazySlot[slot] ?? -1;
      if (row < 0 || !this.lazy) throw new Error(`lexical index: slot ${slot} has no passage`);
      p = this.lazy(row);
      this.passages[slot] = p;
    }
    return p;
  }

  private index(slot: number): void {
    if (this.lookupsStale) return;
    this.slotOfId.set(this.slotIds[slot] as string, slot);
    const doc = this.slotDocs[slot] as string;
    const list = this.slotsOfDoc.get(doc);
    if (list === undefined) this.slotsOfDoc.set(doc, [slot]);
    else {
      list.push(slot);
      // Keep ordinal order (passages normally arrive in order, so this rarely moves anything).
      for (let i = list.length - 1; i > 0 && this.ordinalAt(list[i - 1] as number) > this.ordinalAt(list[i] as number); i--) {
        [list[i - 1], list[i]] = [list[i] as number, list[i - 1] as number];
      }
    }
  }

  private ordinalAt(slot: number): number {
    return this.slotOrdinals[slot] as number;
  }
}
