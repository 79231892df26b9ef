import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { conversationKey, createSubscriptionStore } from '../../src/store/subscriptions.ts';

describe('subscription store', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('persists subscriptions across a reopened database, one per conversation', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'briefbot-subs-'));
    const db = openDatabase({ dataDir: dir });
    const subs = createSubscriptionStore(db);
    const slack = { platform: 'slack' as const, id: 'C1' };
    const discord = { platform: 'discord' as const, id: '123456789012345678' };
    subs.upsert({ conversation: slack, cron: '0 8 * * 1-5', timezone: 'UTC', createdAt: '2026-03-01T00:00:00.000Z' });
    subs.upsert({ conversation: discord, cron: '30 7 * * *', timezone: 'Europe/Paris', createdAt: '2026-03-02T00:00:00.000Z' });
    subs.upsert({ conversation: slack, cron: '0 9 * * 1-5', timezone: 'America/New_York', createdAt: '2026-03-03T00:00:00.000Z' });
    db.close();

    const reopened = openDatabase({ dataDir: dir });
    const again = createSubscriptionStore(reopened);
    expect(again.list()).toEqual([
      { conversation: discord, cron: '30 7 * * *', timezone: 'Europe/Paris', createdAt: '2026-03-02T00:00:00.000Z' },
      { conversation: slack, cron: '0 9 * * 1-5', timezone: 'America/New_York', createdAt: '2026-03-03T00:00:00.000Z' },
    ]);
    expect(again.get(slack)?.cron).toBe('0 9 * * 1-5');
    expect(again.remove(slack)).toBe(true);
    expect(again.remove(slack)).toBe(false);
    expect(again.get(slack)).toBeUndefined();
    expect(again.list()).toHaveLength(1);
    reopened.close();
  });

  it('keys conversations by platform and id', () => {
    expect(conversationKey({ platform: 'slack', id: 'C1:1700000000.0001' })).toBe('slack:C1:1700000000.0001');
  });
});
