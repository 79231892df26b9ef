import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BriefbotError } from '../../src/errors.ts';
import { openDatabase } from '../../src/store/database.ts';
import { createDeliveryLog } from '../../src/store/deliveries.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('delivery log', () => {
  it('claims an id once and refuses every later claim', () => {
    const log = createDeliveryLog({ db: openDatabase({ dataDir: ':memory:' }) });
    expect(log.claim('Ev123ABC456')).toBe(true);
    expect(log.claim('Ev123ABC456')).toBe(false);
    expect(log.claim('Ev123ABC456')).toBe(false);
    expect(log.claim('ev123abc456')).toBe(true);
  });

  it('remembers claims across a restart on the same database file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'briefbot-deliveries-'));
    dirs.push(dir);
    const first = openDatabase({ dataDir: dir });
    expect(createDeliveryLog({ db: first }).claim('Ev0PV52K21')).toBe(true);
    first.close();

    const second = openDatabase({ dataDir: dir });
    const log = createDeliveryLog({ db: second });
    expect(log.claim('Ev0PV52K21')).toBe(false);
    expect(log.claim('Ev-other')).toBe(true);
    second.close();
  });

  it('prunes ids older than the ttl and keeps recent ones', () => {
    const log = createDeliveryLog({ db: openDatabase({ dataDir: ':memory:' }), ttlDays: 1 });
    log.claim('old');
    log.claim('recent');
    expect(log.prune(new Date(Date.now() - 1000))).toBe(0);
    expect(log.prune(new Date(Date.now() + 2 * 24 * 60 * 60 * 1000))).toBe(2);
    expect(log.claim('old')).toBe(true);
  });

  it('rejects an empty id with a clear error', () => {
    const log = createDeliveryLog({ db: openDatabase({ dataDir: ':memory:' }) });
    expect(() => log.claim('')).toThrow(BriefbotError);
    expect(() => log.claim('')).toThrow(/non-empty/);
  });
});
