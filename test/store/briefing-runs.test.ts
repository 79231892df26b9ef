import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBriefingRunStore } from '../../src/store/briefing-runs.ts';
import { type Db, openDatabase } from '../../src/store/database.ts';

const SLOT = new Date('2026-03-09T12:00:00Z');

describe('briefing run store', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  const open = (dir: string): Db => {
    const db = openDatabase({ dataDir: dir });
    dbs.push(db);
    return db;
  };
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), 'briefbot-runs-'));
    dirs.push(d);
    return d;
  };

  it('lets exactly one claimer win a (target, slot), across two connections to the same file', () => {
    const dir = tempDir();
    const a = createBriefingRunStore(open(dir));
    const b = createBriefingRunStore(open(dir));
    expect(a.claim('slack:C1', SLOT, 'instance-a')).toBe(true);
    expect(b.claim('slack:C1', SLOT, 'instance-b')).toBe(false);
    expect(a.claim('slack:C1', SLOT, 'instance-a')).toBe(false);
    // Other targets and other slots are independent.
    expect(b.claim('discord:D1', SLOT, 'instance-b')).toBe(true);
    expect(b.claim('slack:C1', new Date('2026-03-10T12:00:00Z'), 'instance-b')).toBe(true);
    expect(a.get('slack:C1', SLOT)).toMatchObject({ status: 'claimed', instanceId: 'instance-a', slot: SLOT.toISOString() });
  });

  it('records how a run finished and keeps it claimed after a reopen', () => {
    const dir = tempDir();
    const first = createBriefingRunStore(open(dir));
    first.claim('slack:C1', SLOT, 'i1');
    first.finish('slack:C1', SLOT, 'failed', { error: 'channel_not_found' });
    dbs.shift()!.close();
    const reopened = createBriefingRunStore(open(dir));
    expect(reopened.get('slack:C1', SLOT)).toMatchObject({ status: 'failed', error: 'channel_not_found' });
    expect(reopened.claim('slack:C1', SLOT, 'i2')).toBe(false);
  });

  it('remembers posted briefings per target and per conversation (thread)', () => {
    const store = createBriefingRunStore(open(':memory:'));
    expect(store.lastPost('slack:C1')).toBeUndefined();
    const base = { targetId: 'slack:C1', messageId: '1.1', documentIds: ['a.md'], documentHashes: { 'a.md': 'h1' }, storyCount: 1 };
    store.recordPost({ ...base, conversationKey: 'slack:C1:1.1', postedAt: '2026-03-06T13:00:00.000Z' });
    store.recordPost({ ...base, conversationKey: 'slack:C1:2.2', messageId: '2.2', postedAt: '2026-03-09T12:00:00.000Z', documentIds: ['b.md'] });
    expect(store.lastPost('slack:C1')).toMatchObject({ messageId: '2.2', documentIds: ['b.md'], documentHashes: { 'a.md': 'h1' } });
    expect(store.postIn('slack:C1:1.1')?.documentIds).toEqual(['a.md']);
    expect(store.postIn('slack:C9:1.1')).toBeUndefined();
  });
});
