/**
 * Durable briefing state in the shared SQLite database:
 * - `briefing_runs`: one row per (target, slot), claimed with an INSERT before posting, so a slot is
 *   posted at most once even across restarts and several instances on the same file;
 * - `briefing_posts`: what was posted where (documents and their hashes), for "since the last
 *   briefing" and to recognise a briefing's thread.
 */
import type { Db } from './database.ts';

/** State of a claimed slot. `skipped`: nothing to post (no new documents). */
export type RunStatus = 'claimed' | 'posted' | 'failed' | 'skipped';

/** One claimed (target, slot). */
export interface BriefingRun {
  targetId: string;
  /** ISO instant of the cron slot. */
  slot: string;
  status: RunStatus;
  instanceId: string;
  claimedAt: string;
  finishedAt?: string;
  /** Platform message id when posted. */
  messageId?: string;
  /** Short failure reason when failed. */
  error?: string;
}

/** A briefing that was posted into a conversation. */
export interface BriefingPost {
  /** Target key (`platform:id`) the briefing was posted for. */
  targetId: string;
  /** Key of the conversation the post lives in (for Slack, its thread). */
  conversationKey: string;
  messageId: string;
  postedAt: string;
  documentIds: string[];
  /** Hash of every corpus document when the briefing was built (the "seen" baseline for the next one). */
  documentHashes: Record<string, string>;
  storyCount: number;
}

export interface BriefingRunStore {
  /**
   * Claims a slot for a target. Returns true for exactly one caller per (target, slot), whichever
   * process or restart asks first; false when it was already claimed (in any state).
   */
  claim(targetId: string, slot: Date, instanceId: string, now?: Date): boolean;
  /** Marks a claimed slot as posted (`messageId`), failed (`error`) or skipped. */
  finish(targetId: string, slot: Date, status: Exclude<RunStatus, 'claimed'>, detail?: { messageId?: string; error?: string }, now?: Date): void;
  /** The run record of a slot, if claimed. */
  get(targetId: string, slot: Date): BriefingRun | undefined;
  /** Records a posted briefing. */
  recordPost(post: BriefingPost): void;
  /** The most recent post for a target (by `postedAt`, then insertion order). */
  lastPost(targetId: string): BriefingPost | undefined;
  /** The most recent post living in a conversation (a briefing thread), if any. */
  postIn(conversationKey: string): BriefingPost | undefined;
}

/** Creates the tables if needed and returns the store. Statements are prepared once. */
export function createBriefingRunStore(db: Db): BriefingRunStore {
  db.exec(`
    CREATE TABLE IF NOT EXISTS briefing_runs (
      target_id TEXT NOT NULL,
      slot TEXT NOT NULL,
      status TEXT NOT NULL,
      instance_id TEXT NOT NULL,
      claimed_at TEXT NOT NULL,
      finished_at TEXT,
      message_id TEXT,
      error TEXT,
      PRIMARY KEY (target_id, slot)
    );
    CREATE TABLE IF NOT EXISTS briefing_posts (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      target_id TEXT NOT NULL,
      conversation_key TEXT NOT NULL,
      message_id TEXT NOT NULL,
      posted_at TEXT NOT NULL,
      document_ids TEXT NOT NULL,
      document_hashes TEXT NOT NULL,
      story_count INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS briefing_posts_target ON briefing_posts (target_id, posted_at);
    CREATE INDEX IF NOT EXISTS briefing_posts_conversation ON briefing_posts (conversation_key, posted_at);
  `);
  const insertRun = db.prepare(
    `INSERT INTO briefing_runs (target_id, slot, status, instance_id, claimed_at) VALUES (?, ?, 'claimed', ?, ?)
     ON CONFLICT (target_id, slot) DO NOTHING`,
  );
  const finishRun = db.prepare(
    'UPDATE briefing_runs SET status = ?, finished_at = ?, message_id = ?, error = ? WHERE target_id = ? AND slot = ?',
  );
  const getRun = db.prepare('SELECT * FROM briefing_runs WHERE target_id = ? AND slot = ?');
  const insertPost = db.prepare(
    `INSERT INTO briefing_posts (target_id, conversation_key, message_id, posted_at, document_ids, document_hashes, story_count)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const lastByTarget = db.prepare('SELECT * FROM briefing_posts WHERE target_id = ? ORDER BY posted_at DESC, id DESC LIMIT 1');
  const lastByConversation = db.prepare(
    'SELECT * FROM briefing_posts WHERE conversation_key = ? ORDER BY posted_at DESC, id DESC LIMIT 1',
  );

  return {
    claim(targetId, slot, instanceId, now = new Date()) {
      return insertRun.run(targetId, slot.toISOString(), instanceId, now.toISOString()).changes === 1;
    },
    finish(targetId, slot, status, detail = {}, now = new Date()) {
      finishRun.run(status, now.toISOString(), detail.messageId ?? null, detail.error?.slice(0, 500) ?? null, targetId, slot.toISOString());
    },
    get(targetId, slot) {
      const row = getRun.get(targetId, slot.toISOString()) as RunRow | undefined;
      if (!row) return undefined;
      const run: BriefingRun = { targetId: row.target_id, slot: row.slot, status: row.status, instanceId: row.instance_id, claimedAt: row.claimed_at };
      if (row.finished_at) run.finishedAt = row.finished_at;
      if (row.message_id) run.messageId = row.message_id;
      if (row.error) run.error = row.error;
      return run;
    },
    recordPost(post) {
      insertPost.run(
        post.targetId,
        post.conversationKey,
        post.messageId,
        post.postedAt,
        JSON.stringify(post.documentIds),
        JSON.stringify(post.documentHashes),
        post.storyCount,
      );
    },
    lastPost(targetId) {
      return toPost(lastByTarget.get(targetId) as PostRow | undefined);
    },
    postIn(conversationKey) {
      return toPost(lastByConversation.get(conversationKey) as PostRow | undefined);
    },
  };
}

interface RunRow {
  target_id: string;
  slot: string;
  status: RunStatus;
  instance_id: string;
  claimed_at: string;
  finished_at: string | null;
  message_id: string | null;
  error: string | null;
}

interface PostRow {
  target_id: string;
  conversation_key: string;
  message_id: string;
  posted_at: string;
  document_ids: string;
  document_hashes: string;
  story_count: number;
}

function toPost(row: PostRow | undefined): BriefingPost | undefined {
  if (!row) return undefined;
  return {
    targetId: row.target_id,
    conversationKey: row.conversation_key,
    messageId: row.message_id,
    postedAt: row.posted_at,
    documentIds: JSON.parse(row.document_ids) as string[],
    documentHashes: JSON.parse(row.document_hashes) as Record<string, string>,
    storyCount: row.story_count,
  };
}
