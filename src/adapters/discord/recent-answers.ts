/**
 * A bounded, in-process memory of the answers this process posted with 👍/👎 buttons, so a click
 * can be recorded with the full question, answer markdown and citations. It does not survive a
 * restart; clicks on older answers fall back to what the clicked message shows (see
 * `feedback-recover.ts`).
 */
import { randomBytes } from 'node:crypto';
import type { Citation } from '../../core/types.ts';
import type { ConversationRef } from '../types.ts';

/** What is remembered about one posted answer. */
export interface RememberedAnswer {
  /** The conversation the answer belongs to (the asker's `/ask` conversation, or the post target). */
  conversation: ConversationRef;
  question: string;
  /** The core's neutral markdown, as answered. */
  answer: string;
  citations: Citation[];
}

/** The memory; least recently used entries are dropped beyond its capacity. */
export interface RecentAnswers {
  /**
   * Stores an answer and returns its key: 8 random base64url characters, so a key from before a
   * restart never names a different answer after it.
   */
  remember(answer: RememberedAnswer): string;
  /** The answer stored under `key` (marking it recently used), or undefined when unknown or evicted. */
  get(key: string): RememberedAnswer | undefined;
  /** How many answers are held. */
  readonly size: number;
}

/** Default capacity of {@link createRecentAnswers}. */
export const RECENT_ANSWERS_DEFAULT = 500;

/** Creates a {@link RecentAnswers} holding at most `capacity` answers (default 500, minimum 1). */
export function createRecentAnswers(capacity = RECENT_ANSWERS_DEFAULT): RecentAnswers {
  const limit = Math.max(1, Math.floor(capacity));
  const map = new Map<string, RememberedAnswer>();
  return {
    remember(answer) {
      let key = randomBytes(6).toString('base64url');
      while (map.has(key)) key = randomBytes(6).toString('base64url');
      map.set(key, answer);
      while (map.size > limit) map.delete(map.keys().next().value as string);
      return key;
    },
    get(key) {
      const found = map.get(key);
      if (found) {
        map.delete(key);
        map.set(key, found);
      }
      return found;
    },
    get size() {
      return map.size;
    },
  };
}
