/**
 * Briefing subscriptions made from chat (`/brief subscribe <cron> [timezone]`), one per
 * conversation, persisted in the shared SQLite database.
 */
import type { ConversationRef, Platform } from '../adapters/types.ts';
import type { Db } from './database.ts';

/** A conversation that asked for scheduled briefings on its own schedule. */
export interface Subscription {
  conversation: ConversationRef;
  /** node-cron expression (validated before it is stored). */
  cron: string;
  /** IANA time zone (validated before it is stored). */
  timezone: string;
  /** ISO time of the (latest) subscribe request. */
  createdAt: string;
}

export interface SubscriptionStore {
  /** Creates or replaces the conversation's subscription. */
  upsert(subscription: Subscription): void;
  /** Removes it; true when there was one. */
  remove(conversation: ConversationRef): boolean;
  get(conversation: ConversationRef): Subscription | undefined;
  /** Every subscription, oldest first. */
  list(): Subscription[];
}

/** The stable key of a conversation in every briefing table: `platform:id`. */
export function conversationKey(ref: ConversationRef): string {
  return `${ref.platform}:${ref.id}`;
}

/** Creates the table if needed and returns the store. */
export function createSubscriptionStore(db: Db): SubscriptionStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS briefing_subscriptions (
      conversation_key TEXT PRIMARY KEY,
      platform TEXT NOT NULL,
      conversation_id TEXT NOT NULL,
      cron TEXT NOT NULL,
      timezone TEXT NOT NULL,
      created_at TEXT NOT NULL
    )
  `);
  const upsert = db.prepare(
    `INSERT INTO briefing_subscriptions (conversation_key, platform, conversation_id, cron, timezone, created_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (conversation_key) DO UPDATE SET cron = excluded.cron, timezone = excluded.timezone, created_at = excluded.created_at`,
  );
  const remove = db.prepare('DELETE FROM briefing_subscriptions WHERE conversation_key = ?');
  const get = db.prepare('SELECT * FROM briefing_subscriptions WHERE conversation_key = ?');
  const list = db.prepare('SELECT * FROM briefing_subscriptions ORDER BY created_at, conversation_key');
  return {
    upsert(s) {
      upsert.run(conversationKey(s.conversation), s.conversation.platform, s.conversation.id, s.cron, s.timezone, s.createdAt);
    },
    remove(conversation) {
      return remove.run(conversationKey(conversation)).changes > 0;
    },
    get(conversation) {
      const row = get.get(conversationKey(conversation)) as Row | undefined;
      return row ? toSubscription(row) : undefined;
    },
    list() {
      return (list.all() as Row[]).map(toSubscription);
    },
  };
}

interface Row {
  platform: Platform;
  conversation_id: string;
  cron: string;
  timezone: string;
  created_at: string;
}

function toSubscription(row: Row): Subscription {
  return { conversation: { platform: row.platform, id: row.conversation_id }, cron: row.cron, timezone: row.timezone, createdAt: row.created_at };
}
