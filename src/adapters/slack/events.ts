import type { App } from '@slack/bolt';
import { userMessage } from '../../errors.ts';
import type { ConversationRef } from '../types.ts';
import type { SlackContext } from './app.ts';
import { renderAnswer, renderLine } from './format.ts';
import { channelRef, threadRef } from './refs.ts';
import { createReply } from './reply.ts';
import { mentionsBot, questionFromSlackText } from './slack-text.ts';

/** The fields of a message or app_mention event that briefbot reads. */
interface IncomingMessage {
  type: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
}

/**
 * Registers event handling. Bolt acks every event before any listener runs, so nothing here can
 * delay the ack. Order: Bolt's own `ignoreSelf`, then durable dedupe on the envelope `event_id`
 * (claimed as `slack:event:<event_id>`; retries, even after a restart, stop here), then:
 * - `app_mention` → answer in the mention's thread (`thread_ts ?? ts`);
 * - `message` in a DM (`channel_type: im`) → answer in the DM (in its thread when it has one);
 * - `message` in a channel thread without a bot mention → answered only when the core says the
 *   thread is an active conversation (the bot answered or posted a briefing there).
 * Edits, joins and other subtypes (except file shares and thread broadcasts), bot messages and the bot's own messages are ignored. A message
 * that reaches us both as `app_mention` and as `message` is answered once: a second durable claim
 * on `slack:message:<channel>:<ts>` lets only the first through.
 */
export function registerEvents(app: App, ctx: SlackContext): void {
  app.use(async ({ body, next }) => {
    const envelope = body as { type?: string; event_id?: string };
    if (envelope.type === 'event_callback' && envelope.event_id) {
      if (!claim(ctx, `slack:event:${envelope.event_id}`)) {
        ctx.logger.debug({ eventId: envelope.event_id }, 'Dropped a repeated Slack event delivery');
        return;
      }
    }
    await next();
  });

  app.event('app_mention', async ({ event }) => {
    const e = event as unknown as IncomingMessage;
    if (ignored(e, ctx)) return;
    const threadTs = e.thread_ts ?? e.ts;
    answer(ctx, e, threadRef(e.channel, threadTs), threadTs);
  });

  app.event('message', async ({ event }) => {
    const e = event as unknown as IncomingMessage;
    if (ignored(e, ctx)) return;
    if (e.channel_type === 'im') {
      answer(ctx, e, e.thread_ts ? threadRef(e.channel, e.thread_ts) : channelRef(e.channel), e.thread_ts);
      return;
    }
    // Mentions are answered by the app_mention listener; only plain thread replies are ours.
    if (!e.thread_ts || mentionsBot(e.text, ctx.botUserId)) return;
    const ref = threadRef(e.channel, e.thread_ts);
    if (ctx.handler.isActiveConversation(ref)) answer(ctx, e, ref, e.thread_ts);
  });
}

/** Subtypes that are still a person writing a new message; every other subtype (edits, joins, bots…) is ignored. */
const USER_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

function ignored(e: IncomingMessage, ctx: SlackContext): boolean {
  return Boolean((e.subtype && !USER_SUBTYPES.has(e.subtype)) || e.bot_id || !e.user || e.user === ctx.botUserId || !e.channel || !e.ts);
}

/** Claims a delivery id; a failing store is logged and the event handled (answering twice beats never). */
function claim(ctx: SlackContext, id: string): boolean {
  try {
    return ctx.handler.claimDelivery(id);
  } catch (err) {
    ctx.logger.error({ err, id }, 'Could not record a Slack delivery id; handling it anyway');
    return true;
  }
}

/** Answers one message in the background (tracked for shutdown). */
function answer(ctx: SlackContext, e: IncomingMessage, conversation: ConversationRef, threadTs: string | undefined): void {
  if (!claim(ctx, `slack:message:${e.channel}:${e.ts}`)) return;
  ctx.track(run(ctx, e, conversation, threadTs));
}

async function run(ctx: SlackContext, e: IncomingMessage, conversation: ConversationRef, threadTs: string | undefined): Promise<void> {
  const reply = createReply({
    client: ctx.client, channel: e.channel, threadTs, logger: ctx.logger,
    placeholderDelayMs: ctx.placeholderDelayMs, updateIntervalMs: ctx.updateIntervalMs,
  });
  const text = questionFromSlackText(e.text ?? '', ctx.botUserId);
  const started = Date.now();
  try {
    const result = await ctx.handler.ask({ text, conversation, userId: e.user }, { onPartial: (md) => reply.partial(md) });
    const ts = await reply.finish(renderAnswer(result));
    const last = ts[ts.length - 1];
    if (last) ctx.recentAnswers.remember(e.channel, last, { question: result.question, answer: result.markdown, citations: result.citations });
    ctx.logger.info(
      { conversation: conversation.id, ms: Date.now() - started, found: result.found, mode: result.mode, citations: result.citations.length, messages: ts.length },
      'Answered a Slack message',
    );
  } catch (err) {
    ctx.logger.error({ err, conversation: conversation.id }, 'Answering a Slack message failed');
    await reply.finish([renderLine(userMessage(err), ':warning:')]).catch((postErr: unknown) => {
      ctx.logger.error({ err: postErr, conversation: conversation.id }, 'Could not post the error line to Slack either');
    });
  }
}
