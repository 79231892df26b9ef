import type { App, RespondFn } from '@slack/bolt';
import { userMessage } from '../../errors.ts';
import type { BriefCommand } from '../types.ts';
import type { SlackContext } from './app.ts';
import { parseAsk, parseBrief } from './commands.ts';
import { renderAnswer, renderBriefing, renderLine, type SlackMessage } from './format.ts';
import { escapeText, truncate } from './mrkdwn.ts';
import { channelRef } from './refs.ts';

/**
 * Registers `/ask` and `/brief`. Each command is acked at once (Slack's 3 s rule) and only then
 * handed to the core; the result goes back through the command's `response_url`:
 * - `/ask <question>`: ephemeral "Looking…" in the ack, then the answer `in_channel` (so the bot
 *   need not be a member of the channel). Empty or over-long input → ephemeral usage in the ack.
 * - `/brief [now|status|subscribe <cron> [tz]|unsubscribe]`: `result.message` ephemeral; the
 *   briefing ephemeral for a bare `/brief`, `in_channel` for `/brief now`. Bad input → usage.
 * - Any other command routed here → ephemeral "unknown command" (never a 404 or 5xx).
 * Failures become one ephemeral friendly line; the cause is logged.
 */
export function registerCommands(app: App, ctx: SlackContext): void {
  app.command('/ask', async ({ command, ack, respond }) => {
    const parsed = parseAsk(command.text, ctx.maxQuestionChars);
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: parsed.usage });
      return;
    }
    await ack({ response_type: 'ephemeral', text: `:mag: Looking through the documents for “${truncate(escapeText(parsed.value), 300)}”…` });
    const conversation = channelRef(command.channel_id);
    ctx.track(
      (async () => {
        try {
          const answer = await ctx.handler.ask({ text: parsed.value, conversation, userId: command.user_id });
          await send(respond, renderAnswer(answer), 'in_channel');
        } catch (err) {
          await fail(ctx, respond, err, '/ask');
        }
      })(),
    );
  });

  app.command('/brief', async ({ command, ack, respond }) => {
    const parsed = parseBrief(command.text);
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: parsed.usage });
      return;
    }
    const kind: BriefCommand['kind'] = parsed.value.kind;
    await ack(kind === 'show' || kind === 'now' ? { response_type: 'ephemeral', text: ':hourglass_flowing_sand: Preparing the briefing…' } : undefined);
    ctx.track(
      (async () => {
        try {
          const result = await ctx.handler.brief(channelRef(command.channel_id), parsed.value);
          if (result.message) await send(respond, [renderLine(result.message)], 'ephemeral');
          if (result.briefing) await send(respond, renderBriefing(result.briefing), kind === 'now' ? 'in_channel' : 'ephemeral');
          if (!result.message && !result.briefing) await send(respond, [renderLine('Done.')], 'ephemeral');
        } catch (err) {
          await fail(ctx, respond, err, '/brief');
        }
      })(),
    );
  });

  app.command(/^\/(?!ask$|brief$)/, async ({ command, ack }) => {
    await ack({ response_type: 'ephemeral', text: `briefbot does not know ${command.command}. Try /ask or /brief.` });
  });
}

/** Sends messages through `response_url` (Slack allows 5 uses in 30 minutes; extra pieces are dropped with a note). */
async function send(respond: RespondFn, messages: SlackMessage[], responseType: 'in_channel' | 'ephemeral'): Promise<void> {
  const usable = messages.length > 5 ? [...messages.slice(0, 4), renderLine('The rest did not fit in a command reply; mention me in a thread for the full text.')] : messages;
  for (const message of usable) {
    await respond({ response_type: responseType, replace_original: false, text: message.text, blocks: message.blocks });
  }
}

async function fail(ctx: SlackContext, respond: RespondFn, err: unknown, command: string): Promise<void> {
  ctx.logger.error({ err, command }, `Slack ${command} failed`);
  const line = renderLine(userMessage(err), ':warning:');
  await respond({ response_type: 'ephemeral', replace_original: false, text: line.text, blocks: line.blocks }).catch((postErr: unknown) => {
    ctx.logger.error({ err: postErr, command }, 'Could not send the error line to Slack either');
  });
}
