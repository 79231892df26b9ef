/**
 * Discord conversation references. The id is the channel's snowflake, optionally followed by
 * `:u<userId>` for one user's `/ask` history in that channel. Channel snowflakes are global and
 * permanent, so ids are stable across restarts, and a channel configured in
 * `BRIEFING_DISCORD_CHANNELS` gets the same ref as a `/brief subscribe` made in that channel.
 */
import { BriefbotError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { ConversationRef, QuestionHandler } from '../types.ts';

const SNOWFLAKE = /^\d{15,25}$/;

/** The ref of a channel (briefings, subscriptions, posts). Throws `USAGE` for a non-snowflake id. */
export function channelRef(channelId: string): ConversationRef {
  const id = channelId.trim();
  if (!SNOWFLAKE.test(id)) {
    throw new BriefbotError('USAGE', `"${channelId}" is not a Discord channel id (a long number; copy it with Developer Mode on).`);
  }
  return { platform: 'discord', id };
}

/** The ref of one user's questions in a channel, so follow-ups of one person inform each other. */
export function userConversationRef(channelId: string, userId: string): ConversationRef {
  return { platform: 'discord', id: `${channelRef(channelId).id}:u${userId}` };
}

/** The channel a ref made by this module points at. Throws `USAGE` for a foreign or malformed ref. */
export function channelIdOf(ref: ConversationRef): string {
  const channelId = ref.id.split(':')[0] ?? '';
  if (ref.platform !== 'discord' || !SNOWFLAKE.test(channelId)) {
    throw new BriefbotError('USAGE', `Cannot post to ${ref.platform} conversation "${ref.id}" on Discord.`);
  }
  return channelId;
}

/**
 * Claims an interaction id durably so a redelivered interaction is handled once. Returns false (and
 * logs) for a duplicate. If the store fails, returns true: answering twice beats dropping the user.
 */
export function claimInteraction(handler: Pick<QuestionHandler, 'claimDelivery'>, interactionId: string, log: Logger): boolean {
  let fresh: boolean;
  try {
    fresh = handler.claimDelivery(`discord:interaction:${interactionId}`);
  } catch (err) {
    log.warn({ err }, 'discord: could not record the interaction id; handling it anyway');
    return true;
  }
  if (!fresh) log.info('discord: duplicate interaction dropped');
  return fresh;
}
