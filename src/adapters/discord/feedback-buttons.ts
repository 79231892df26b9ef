/**
 * The 👍/👎 buttons under an answer and their `custom_id`s. A custom id is
 * `bb:fb:<up|down>:<key>:<question>`: the key names the answer in this process's memory
 * ({@link RecentAnswers}); the question, clipped to what fits in Discord's 100 characters, is
 * there so a click after a restart still knows what was asked when the clicked message does not
 * show it (a long answer's last part).
 */
import { type APIActionRowComponent, type APIButtonComponentWithCustomId, ButtonStyle, ComponentType } from 'discord.js';
import type { Answer } from '../../core/types.ts';
import type { ConversationRef } from '../types.ts';
import { type DiscordMessage, LIMITS, truncate } from './limits.ts';
import type { RecentAnswers } from './recent-answers.ts';

/** Discord's limit on a component `custom_id`. */
export const CUSTOM_ID_MAX = 100;

/** Prefix of every feedback button's custom id. */
export const FEEDBACK_PREFIX = 'bb:fb:';

/** A vote as carried by a button. */
export interface FeedbackButtonId {
  vote: 'up' | 'down';
  /** Key of the answer in {@link RecentAnswers}; may be unknown to this process. */
  key: string;
  /** The question, possibly clipped (ending in `…`); empty when it did not fit. */
  question: string;
}

/** The custom id of one button; always at most {@link CUSTOM_ID_MAX} characters. */
export function feedbackCustomId(vote: 'up' | 'down', key: string, question: string): string {
  const head = `${FEEDBACK_PREFIX}${vote}:${key}:`;
  const room = CUSTOM_ID_MAX - head.length;
  const oneLine = question.replace(/\s+/g, ' ').trim();
  return room > 1 ? `${head}${truncate(oneLine, room)}` : head.slice(0, CUSTOM_ID_MAX);
}

/** Reads a custom id made by {@link feedbackCustomId}; undefined for any other id. */
export function parseFeedbackCustomId(customId: string): FeedbackButtonId | undefined {
  const match = /^bb:fb:(up|down):([A-Za-z0-9_-]+):?([\s\S]*)$/.exec(customId);
  if (!match) return undefined;
  return { vote: match[1] as 'up' | 'down', key: match[2] ?? '', question: match[3] ?? '' };
}

/** The action row with the two buttons for the answer remembered under `key`. */
export function feedbackRow(key: string, question: string): APIActionRowComponent<APIButtonComponentWithCustomId> {
  const button = (vote: 'up' | 'down', label: string, emoji: string): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: feedbackCustomId(vote, key, question),
    label,
    emoji: { name: emoji },
  });
  return {
    type: ComponentType.ActionRow,
    components: [button('up', 'Helpful', '👍'), button('down', 'Not helpful', '👎')],
  };
}

/**
 * Remembers `answer` (as answered in `conversation`) and puts its 👍/👎 row under the last of its
 * rendered `messages`, the end of the answer, as Slack does; refusals (`found: false`) get the
 * buttons too, since "this should have been answered" is feedback worth having. Returns `messages`
 * (the last one gains one action row; a message already holding the maximum of rows is left as is).
 */
export function withFeedbackButtons(
  messages: DiscordMessage[],
  answer: Pick<Answer, 'question' | 'markdown' | 'citations'>,
  conversation: ConversationRef,
  recentAnswers: RecentAnswers,
): DiscordMessage[] {
  const last = messages[messages.length - 1];
  if (!last || (last.components?.length ?? 0) >= LIMITS.actionRows) return messages;
  const key = recentAnswers.remember({ conversation, question: answer.question, answer: answer.markdown, citations: answer.citations });
  last.components = [...(last.components ?? []), feedbackRow(key, answer.question)];
  return messages;
}
