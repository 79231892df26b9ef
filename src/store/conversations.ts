import type { Db } from './database.ts';

/**
 * Durable memory of the conversations the bot answered in: which threads it is part of (so a plain
 * reply continues the conversation, even after a restart) and the questions asked there, oldest first.
 */
export interface ConversationLog {
  /** Records a question the bot answered in a conversation. */
  record(conversationId: string, question: string, at?: Date): void;
  /** The last `limit` questions asked in the conversation, oldest first; default 3. */
  recentQuestions(conversationId: string, limit?: number): string[];
  /** True when the bot answered in this conversation before. */
  has(conversationId: string): boolean;
}

/** Questions kept per conversation; older ones are pruned on write. */
const KEEP_PER_CONVERSATION = 20;

export function createConversationLog(options: { db: Db }): ConversationLog {
  const { db } = options;
  db.exec(`CREATE TABLE IF NOT EXISTS conversation_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    question TEXT NOT NULL,
    asked_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS conversation_questions_by_id ON conversation_questions (conversation_id, id);`);
  const insert = db.prepare('INSERT INTO conversation_questions (conversation_id, question, asked_at) VALUES (?, ?, ?)');
  const prune = db.prepare(`DELETE FROM conversation_questions WHERE conversation_id = ? AND id NOT IN (
    SELECT id FROM conversation_questions WHERE conversation_id = ? ORDER BY id DESC LIMIT ${KEEP_PER_CONVERSATION})`);
  const recent = db.prepare('SELECT question FROM conversation_questions WHERE conversation_id = ? ORDER BY id DESC LIMIT ?');
  const exists = db.prepare('SELECT 1 FROM conversation_questions WHERE conversation_id = ? LIMIT 1');
  return {
    record(conversationId, question, at = new Date()) {
      insert.run(conversationId, question, at.toISOString());
      prune.run(conversationId, conversationId);
    },
    recentQuestions(conversationId, limit = 3) {
      return (recent.all(conversationId, limit) as Array<{ question: string }>).map((r) => r.question).reverse();
    },
    has: (conversationId) => exists.get(conversationId) !== undefined,
  };
}
