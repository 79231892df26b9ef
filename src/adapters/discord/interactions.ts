/**
 * Handles `/ask`, `/brief` and `/sources` interactions: defer at once, call the core, then edit the
 * deferred reply (and send follow-ups) with rendered embeds. Every failure ends in one friendly
 * edited reply; causes go to the log. Nothing here retries a failed request.
 */
import {
  type ChatInputCommandInteraction,
  InteractionResponseType,
  type MessageMentionOptions,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
} from 'discord.js';
import { userMessage } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { QuestionHandler } from '../types.ts';
import { SCHEDULE_CHANGING, toBriefCommand } from './commands.ts';
import { withFeedbackButtons } from './feedback-buttons.ts';
import { renderAnswer, renderBriefing, renderNotice, renderPartial, renderSources } from './format.ts';
import type { DiscordMessage } from './limits.ts';
import { createPartialEditor } from './partial-edits.ts';
import type { RecentAnswers } from './recent-answers.ts';
import { channelRef, claimInteraction, userConversationRef } from './refs.ts';

/** Sent with every message: echoed text never pings anyone (no @everyone, @here, users or roles). */
export const NO_MENTIONS: MessageMentionOptions = { parse: [] };

/** The same, in the raw API shape, for requests made without discord.js's message payload builder. */
const RAW_NO_MENTIONS = { parse: [] as string[] };

/** How many passages `/sources` lists. */
const SOURCES_LIMIT = 5;

/** Interaction tokens last 15 minutes; stop working on an answer shortly before that. */
const ANSWER_DEADLINE_MS = 14 * 60_000;

/** Options for {@link createInteractionHandler}. */
export interface InteractionHandlerOptions {
  handler: QuestionHandler;
  logger: Logger;
  /** Minimum time between streaming edits; default 1000 ms. */
  partialEditIntervalMs?: number;
  /** Where `/ask` answers are remembered for their 👍/👎 buttons. */
  recentAnswers: RecentAnswers;
}

/**
 * Defers the reply (type 5) with the ephemeral flag decided now, as Discord requires. Sent through
 * the client's REST (not `deferReply`) so the body also carries `allowed_mentions`, like every
 * other request; the interaction is then marked deferred so `editReply`/`followUp` work as usual.
 */
async function defer(interaction: ChatInputCommandInteraction, ephemeral: boolean): Promise<void> {
  const flags = ephemeral ? MessageFlags.Ephemeral : 0;
  await interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags, allowed_mentions: RAW_NO_MENTIONS } },
    auth: false,
  });
  interaction.deferred = true;
  interaction.ephemeral = ephemeral;
}

/**
 * Interaction tokens ride in webhook and callback URLs, which discord.js errors carry in `url`;
 * they grant posting as the bot for 15 minutes, so they never reach the logs.
 */
export function redactTokens<T>(error: T): T {
  if (error && typeof error === 'object' && 'url' in error && typeof error.url === 'string') {
    (error as { url: string }).url = error.url.replace(/\/(webhooks|interactions)\/(\d+)\/[^/?]+/g, '/$1/$2/[REDACTED]');
  }
  return error;
}

/** Sends rendered messages: the first replaces the deferred reply, the rest are follow-ups. */
async function deliver(interaction: ChatInputCommandInteraction, messages: DiscordMessage[], logger: Logger): Promise<void> {
  const [first, ...rest] = messages.length > 0 ? messages : renderNotice('…');
  if (!first) return;
  await interaction.editReply({ content: first.content ?? '', embeds: first.embeds, ...(first.components ? { components: first.components } : {}), allowedMentions: NO_MENTIONS });
  for (const [i, message] of rest.entries()) {
    try {
      await interaction.followUp({
        ...(message.content ? { content: message.content } : {}),
        embeds: message.embeds,
        ...(message.components ? { components: message.components } : {}),
        allowedMentions: NO_MENTIONS,
        ...(interaction.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
      });
    } catch (err) {
      // The start of the reply is already visible: say that the rest is missing, once, and stop.
      logger.error({ err: redactTokens(err), part: i + 2, parts: messages.length }, 'discord: follow-up failed');
      await interaction
        .followUp({
          content: 'Sorry, the rest of this reply could not be delivered.',
          allowedMentions: NO_MENTIONS,
          ...(interaction.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
        })
        .catch((notice: unknown) => logger.warn({ err: redactTokens(notice) }, 'discord: could not report the missing follow-up'));
      return;
    }
  }
}

/** Replaces the deferred reply with one friendly line; a failure here is only logged. */
async function fail(interaction: ChatInputCommandInteraction, error: unknown, logger: Logger): Promise<void> {
  logger.error({ err: redactTokens(error), command: interaction.commandName, interactionId: interaction.id }, 'discord: command failed');
  await interaction
    .editReply({ content: userMessage(error), embeds: [], allowedMentions: NO_MENTIONS })
    .catch((err: unknown) => logger.error({ err: redactTokens(err) }, 'discord: could not show the failure to the user'));
}

/** The channel an interaction came from (the `channel` object of the payload, or `channel_id`). */
function channelOf(interaction: ChatInputCommandInteraction): string | null {
  return interaction.channelId ?? null;
}

/**
 * Creates the function the client calls for every chat-input interaction. It resolves when the
 * interaction is fully handled and never rejects.
 */
export function createInteractionHandler(options: InteractionHandlerOptions): (interaction: ChatInputCommandInteraction) => Promise<void> {
  const { handler, logger } = options;

  const ask = async (interaction: ChatInputCommandInteraction, channelId: string): Promise<void> => {
    const text = interaction.options.getString('question', true);
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    await defer(interaction, ephemeral);
    const editor = createPartialEditor({
      logger,
      intervalMs: options.partialEditIntervalMs,
      edit: (md) =>
        interaction.editReply({ content: '', embeds: [renderPartial(md)], allowedMentions: NO_MENTIONS }).catch((err: unknown) => {
          throw redactTokens(err);
        }),
    });
    let messages: DiscordMessage[];
    try {
      const conversation = userConversationRef(channelId, interaction.user.id);
      const answer = await handler.ask(
        { text, conversation, userId: interaction.user.id },
        { onPartial: (md) => editor.push(md), signal: AbortSignal.timeout(ANSWER_DEADLINE_MS) },
      );
      await editor.close();
      messages = withFeedbackButtons(renderAnswer(answer), answer, conversation, options.recentAnswers);
    } catch (error) {
      await editor.close();
      return fail(interaction, error, logger);
    }
    await deliver(interaction, messages, logger);
  };

  const sources = async (interaction: ChatInputCommandInteraction): Promise<void> => {
    const query = interaction.options.getString('query', true);
    await defer(interaction, false);
    let messages: DiscordMessage[];
    try {
      messages = renderSources(query, await handler.sources(query, SOURCES_LIMIT));
    } catch (error) {
      return fail(interaction, error, logger);
    }
    await deliver(interaction, messages, logger);
  };

  const brief = async (interaction: ChatInputCommandInteraction, channelId: string): Promise<void> => {
    const command = toBriefCommand(interaction.options);
    // Status and schedule changes concern the requester; briefings are for the channel.
    await defer(interaction, command.kind !== 'show' && command.kind !== 'now');
    const allowed = !interaction.inGuild() || interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels);
    if (SCHEDULE_CHANGING.has(command.kind) && !allowed) {
      await deliver(interaction, renderNotice('Changing this channel’s briefing schedule needs the Manage Channels permission.'), logger);
      return;
    }
    let messages: DiscordMessage[];
    try {
      const result = await handler.brief(channelRef(channelId), command);
      messages = result.briefing ? renderBriefing(result.briefing, result.message) : renderNotice(result.message ?? 'Done.');
    } catch (error) {
      return fail(interaction, error, logger);
    }
    await deliver(interaction, messages, logger);
  };

  return async (interaction) => {
    const log = logger.child({ command: interaction.commandName, interactionId: interaction.id });
    try {
      if (!claimInteraction(handler, interaction.id, log)) return;
      const channelId = channelOf(interaction);
      if (!channelId && interaction.commandName !== 'sources') {
        await defer(interaction, true);
        await deliver(interaction, renderNotice('This command works only in a channel or in a DM with the bot.'), log);
        return;
      }
      switch (interaction.commandName) {
        case 'ask':
          return await ask(interaction, channelId ?? '');
        case 'sources':
          return await sources(interaction);
        case 'brief':
          return await brief(interaction, channelId ?? '');
        default:
          await defer(interaction, true);
          await deliver(interaction, renderNotice(`Unknown command /${interaction.commandName}. Ask an admin to run \`npx briefbot discord-register\`.`), log);
      }
    } catch (error) {
      // Defer or delivery failed (network, expired token, a 4xx). Try one friendly edit if deferred.
      log.error({ err: redactTokens(error) }, 'discord: interaction failed');
      if (interaction.deferred) {
        await interaction
          .editReply({ content: userMessage(error), embeds: [], allowedMentions: NO_MENTIONS })
          .catch((err: unknown) => log.warn({ err: redactTokens(err) }, 'discord: could not show the failure to the user'));
      }
    }
  };
}
