import type { FeedbackVote } from '../adapters/types.ts';
import type { Citation } from '../core/types.ts';
import { BriefbotError } from '../errors.ts';
import type { Db } from './database.ts';

/** A vote as stored: what was recorded plus its row id and time. */
export interface StoredVote extends FeedbackVote {
  /** Row id; increases with every record. */
  id: number;
  /** When the vote was recorded. */
  at: Date;
}

/** Durable 👍/👎 records with the question, answer and citations they were about. */
export interface FeedbackStore {
  /**
   * Appends one vote (every click is kept; nothing is merged). `at` defaults to now. Throws
   * `BriefbotError('STORE_FAILED')` for a vote that is neither `up` nor `down` or when the database fails.
   */
  record(vote: FeedbackVote & { at?: Date }): void;
  /** The most recent votes, newest first; `limit` defaults to 50 and is capped at 1000. */
  list(limit?: number): StoredVote[];
}

interface Row {
  id: number;
  at: number;
  platform: string;
  conversation_id: string;
  user_id: string | null;
  vote: string;
  question: string;
  answer: string;
  citations: string;
}

/** Creates the feedback store on `db`, creating its table (`feedback_votes`) when missing. */
export function createFeedbackStore(options: { db: Db }): FeedbackStore {
  const { db } = options;
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS feedback_votes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      platform TEXT NOT NULL,
      conversation_id TEXT NOT NULL,
      user_id TEXT,
      vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
      question TEXT NOT NULL,
      answer TEXT NOT NULL,
      citations TEXT NOT NULL
    )`);
  } catch (cause) {
    throw new BriefbotError('STORE_FAILED', 'Could not prepare the feedback table in the database.', { cause });
  }
  const insert = db.prepare(
    `INSERT INTO feedback_votes (at, platform, conversation_id, user_id, vote, question, answer, citations)
     VALUES (@at, @platform, @conversationId, @userId, @vote, @question, @answer, @citations)`,
  );
  const select = db.prepare('SELECT * FROM feedback_votes ORDER BY id DESC LIMIT ?');

  return {
    record(vote) {
      if (vote.vote !== 'up' && vote.vote !== 'down') {
        throw new BriefbotError('STORE_FAILED', `A feedback vote must be "up" or "down", got ${JSON.stringify(vote.vote)}.`);
      }
      try {
        insert.run({
          at: (vote.at ?? new Date()).getTime(),
          platform: vote.conversation.platform,
          conversationId: vote.conversation.id,
          userId: vote.userId ?? null,
          vote: vote.vote,
          question: vote.question,
          answer: vote.answer,
          citations: JSON.stringify(vote.citations),
        });
      } catch (cause) {
        throw new BriefbotError('STORE_FAILED', 'Could not record the feedback in the database.', { cause });
      }
    },
    list(limit = 50) {
      const n = Math.max(0, Math.min(1000, Math.floor(limit)));
      const rows = select.all(n) as Row[];
      return rows.map((row) => {
        const stored: StoredVote = {
          id: row.id,
          at: new Date(row.at),
          conversation: { platform: row.platform as StoredVote['conversation']['platform'], id: row.conversation_id },
          vote: row.vote as 'up' | 'down',
          question: row.question,
          answer: row.answer,
          citations: JSON.parse(row.citations) as Citation[],
        };
        if (row.user_id !== null) stored.userId = row.user_id;
        return stored;
      });
    },
  };
}
