import { BriefbotError } from '../errors.ts';
import type { Db } from './database.ts';

/** Options for {@link createDeliveryLog}. */
export interface DeliveryLogOptions {
  /** The shared database (see `openDatabase`). */
  db: Db;
  /**
   * How long a claimed id is remembered, in days; default 3. Slack retries a delivery for about
   * five minutes, so anything over a day is plenty; older ids are dropped by {@link DeliveryLog.prune}.
   */
  ttlDays?: number;
}

/** Durable record of platform delivery ids already handled (Slack `event_id`, …). */
export interface DeliveryLog {
  /**
   * Claims `id` atomically. Returns true the first time an id is seen and false for every later
   * claim, also after a restart on the same database. Ids are compared exactly (case-sensitive).
   * Throws `BriefbotError('STORE_FAILED')` for an empty id or when the database fails.
   */
  claim(id: string): boolean;
  /** Forgets ids claimed more than `ttlDays` before `now` (default: the current time); returns how many. */
  prune(now?: Date): number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Claims between automatic prunes, so the table stays small without a timer. */
const PRUNE_EVERY = 500;

/**
 * Creates the delivery log on `db`, creating its table (`delivery_claims`) when missing. Expired
 * ids are pruned once at creation and then every few hundred claims.
 */
export function createDeliveryLog(options: DeliveryLogOptions): DeliveryLog {
  const { db } = options;
  const ttlDays = options.ttlDays ?? 3;
  if (!(ttlDays > 0)) throw new BriefbotError('STORE_FAILED', `Delivery log ttlDays must be positive, got ${ttlDays}.`);
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS delivery_claims (
      id TEXT PRIMARY KEY,
      claimed_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS delivery_claims_claimed_at ON delivery_claims (claimed_at);`);
  } catch (cause) {
    throw new BriefbotError('STORE_FAILED', 'Could not prepare the delivery log in the database.', { cause });
  }
  const insert = db.prepare('INSERT OR IGNORE INTO delivery_claims (id, claimed_at) VALUES (?, ?)');
  const remove = db.prepare('DELETE FROM delivery_claims WHERE claimed_at < ?');
  let sincePrune = 0;

  const log: DeliveryLog = {
    claim(id) {
      if (typeof id !== 'string' || id.length === 0) {
        throw new BriefbotError('STORE_FAILED', 'A delivery id must be a non-empty string.');
      }
      try {
        const claimed = insert.run(id, Date.now()).changes === 1;
        if (++sincePrune >= PRUNE_EVERY) log.prune();
        return claimed;
      } catch (cause) {
        throw new BriefbotError('STORE_FAILED', 'Could not record a delivery in the database.', { cause });
      }
    },
    prune(now = new Date()) {
      sincePrune = 0;
      try {
        return remove.run(now.getTime() - ttlDays * DAY_MS).changes;
      } catch (cause) {
        throw new BriefbotError('STORE_FAILED', 'Could not prune the delivery log.', { cause });
      }
    },
  };
  log.prune();
  return log;
}
