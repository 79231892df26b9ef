/**
 * Handles clicks on the 👍/👎 buttons under answers: record the vote through the core, then
 * thank the user with an ephemeral reply (type 4, flag 64). When recording takes longer than the
 * acknowledgement budget, the click is acknowledged first with a deferred ephemeral reply (type 5)
 * that is edited once the vote is stored, so Discord's 3-second deadline always holds.
 *
 * What the vote is about comes from this process's memory of the answer ({@link RecentAnswers});
 * for an answer it does not remember (posted before a restart, or evicted) it is recovered from the
 * clicked message (see `feedback-recover.ts`), so the click is still recorded.
 *
 * Every click is recorded: the same user voting twice (or changing their mind) leaves two rows, in
 * order, as the feedback store and the Slack adapter do; readers take the latest per user and answer.
 */
import { type ButtonInteraction, InteractionResponseType, MessageFlags, Routes } from 'discord.js';
import type { Logger } from '../../logger.ts';
import type { ConversationRef, FeedbackVote, QuestionHandler } from '../types.ts';
import { parseFeedbackCustomId } from './feedback-buttons.ts';
import { recoverAnswer } from './feedback-recover.ts';
import { NO_MENTIONS, redactTokens } from './interactions.ts';
import type { RecentAnswers } from './recent-answers.ts';
import { channelRef, claimInteraction, userConversationRef } from './refs.ts';

/** Options for {@link createFeedbackHandler}. */
export interface FeedbackHandlerOptions {
  handler: QuestionHandler;
  logger: Logger;
  /** The memory the `/ask` handler and `post` fill. */
  recentAnswers: RecentAnswers;
  /** How long to wait for the vote to be stored before acknowledging with a deferred reply; default 1500 ms. */
  ackBudgetMs?: number;
}

/** What the user sees after a click. */
export const FEEDBACK_REPLIES = {
  up: 'Thanks for the feedback! 👍',
  down: 'Thanks for the feedback; it helps improve the answers. 👎',
  failed: 'Sorry, that feedback could not be recorded.',
  unknown: 'This button is no longer in use.',
} as const;

/** The conversation of an answer the process does not remember: the asker's, else the channel's. */
function conversationOf(interaction: ButtonInteraction): ConversationRef | undefined {
  const channelId = interaction.channelId;
  if (!channelId) return undefined;
  const asker = interaction.message.interactionMetadata?.user?.id;
  try {
    return asker ? userConversationRef(channelId, asker) : channelRef(channelId);
  } catch {
    return undefined;
  }
}

/**
 * Creates the function the client calls for every button click. It resolves when the click is
 * fully handled and never rejects.
 */
export function createFeedbackHandler(options: FeedbackHandlerOptions): (interaction: ButtonInteraction) => Promise<void> {
  const { handler, logger, recentAnswers } = options;
  const budget = options.ackBudgetMs ?? 1500;

  /** Answers the click with one ephemeral line, as an immediate reply or by editing a deferred one. */
  const say = async (interaction: ButtonInteraction, content: string, log: Logger): Promise<void> => {
    try {
      if (interaction.deferred) await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
      else await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    } catch (err) {
      log.warn({ err: redactTokens(err) }, 'discord: could not answer a feedback click');
    }
  };

  /** Acknowledges now (type 5, ephemeral) with `allowed_mentions`, like every other request. */
  const deferEphemeral = async (interaction: ButtonInteraction): Promise<void> => {
    await interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: {
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: { flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
      },
      auth: false,
    });
    interaction.deferred = true;
    interaction.ephemeral = true;
  };

  const vote = async (interaction: ButtonInteraction, log: Logger): Promise<void> => {
    const id = parseFeedbackCustomId(interaction.customId);
    if (!id) {
      log.warn({ customId: interaction.customId }, 'discord: click on a button briefbot does not know');
      return say(interaction, FEEDBACK_REPLIES.unknown, log);
    }
    const remembered = recentAnswers.get(id.key);
    let about: Omit<FeedbackVote, 'userId' | 'vote'> | undefined = remembered;
    if (!about) {
      const conversation = conversationOf(interaction);
      const embeds = interaction.message.embeds.map((e) => e.toJSON());
      if (conversation) about = { conversation, ...recoverAnswer(embeds, id.question) };
      log.info({ key: id.key, recovered: Boolean(about) }, 'discord: feedback on an answer not in memory; using what the message shows');
    }
    if (!about) return say(interaction, FEEDBACK_REPLIES.failed, log);

    const record: FeedbackVote = { ...about, userId: interaction.user.id, vote: id.vote };
    const recorded = handler.recordFeedback(record).then(
      () => true,
      (err: unknown) => {
        log.error({ err }, 'discord: recording feedback failed');
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), budget);
    });
    const first = await Promise.race([recorded, late]);
    clearTimeout(timer);
    if (first === 'late') {
      await deferEphemeral(interaction);
      log.warn({ budgetMs: budget }, 'discord: recording feedback is slow; acknowledged first');
    }
    const ok = first === 'late' ? await recorded : first;
    log.info({ vote: id.vote, remembered: Boolean(remembered), recorded: ok }, 'discord: feedback');
    await say(interaction, ok ? FEEDBACK_REPLIES[id.vote] : FEEDBACK_REPLIES.failed, log);
  };

  return async (interaction) => {
    const log = logger.child({ component: 'feedback', interactionId: interaction.id });
    try {
      if (!claimInteraction(handler, interaction.id, log)) return;
      await vote(interaction, log);
    } catch (err) {
      // Only the deferral can get here (a network failure or an expired token); nothing more to try.
      log.error({ err: redactTokens(err) }, 'discord: feedback click failed');
    }
  };
}
