import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { SlackContext } from './app.ts';
import { decodeFeedbackValue } from './feedback-value.ts';
import { FEEDBACK_ACTIONS } from './format.ts';
import { channelRef, threadRef } from './refs.ts';

/**
 * Registers the 👍/👎 buttons: ack at once, then record the vote through the core with the
 * question, answer and citations (from this process's memory of the posted answer, else from
 * the button value), then thank the user ephemerally. A click that cannot be recorded gets an
 * ephemeral apology; the cause is logged.
 */
export function registerFeedback(app: App, ctx: SlackContext): void {
  const pattern = new RegExp(`^(${FEEDBACK_ACTIONS.up}|${FEEDBACK_ACTIONS.down})$`);
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: pattern }, async ({ ack, body, action, respond }) => {
    await ack();
    const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
    const messageTs = body.message?.ts ?? (body.container.message_ts as string | undefined);
    const threadTs = (body.message?.thread_ts as string | undefined) ?? (body.container.thread_ts as string | undefined);
    const vote = action.action_id === FEEDBACK_ACTIONS.up ? 'up' : 'down';
    const say = async (text: string): Promise<void> => {
      try {
        if (body.response_url) await respond({ response_type: 'ephemeral', replace_original: false, text });
        else if (channel) await ctx.client.chat.postEphemeral({ channel, user: body.user.id, text, thread_ts: threadTs });
      } catch (err) {
        ctx.logger.warn({ err }, 'Could not acknowledge a Slack feedback click');
      }
    };
    const payload = (channel && messageTs ? ctx.recentAnswers.get(channel, messageTs) : undefined) ?? decodeFeedbackValue(action.value);
    if (!channel || !payload) {
      ctx.logger.warn({ channel, messageTs }, 'A Slack feedback click carried no answer to record');
      await say('Sorry, that feedback could not be recorded.');
      return;
    }
    try {
      const conversation = threadTs ? threadRef(channel, threadTs) : channelRef(channel);
      await ctx.handler.recordFeedback({ conversation, userId: body.user.id, vote, ...payload });
    } catch (err) {
      ctx.logger.error({ err }, 'Recording Slack feedback failed');
      await say('Sorry, that feedback could not be recorded.');
      return;
    }
    await say(vote === 'up' ? 'Thanks for the feedback! 👍' : 'Thanks for the feedback; it helps improve the answers. 👎');
  });
}
