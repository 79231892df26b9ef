/**
 * The Discord adapter: a discord.js client with only the `Guilds` intent (slash commands need no
 * privileged intents) that turns `/ask`, `/brief` and `/sources` into {@link QuestionHandler}
 * calls and posts answers and briefings as embeds, answers with 👍/👎 buttons whose clicks are
 * recorded through the core. Thin: rendering is in `format.ts`, command handling in
 * `interactions.ts`, clicks in `feedback.ts`, references in `refs.ts`.
 */
import {
  type APIMessage,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  RESTEvents,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from 'discord.js';
import type { Answer, Briefing } from '../../core/types.ts';
import { BriefbotError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { ChatAdapter, ConversationRef, PostedRef, QuestionHandler } from '../types.ts';
import { withFeedbackButtons } from './feedback-buttons.ts';
import { createFeedbackHandler } from './feedback.ts';
import { renderAnswer, renderBriefing } from './format.ts';
import { createInteractionHandler } from './interactions.ts';
import { createRecentAnswers, RECENT_ANSWERS_DEFAULT } from './recent-answers.ts';
import { channelIdOf, channelRef } from './refs.ts';

/** Options for {@link createDiscordAdapter}. */
export interface DiscordAdapterOptions {
  /** Bot token (`DISCORD_TOKEN`). */
  token: string;
  /** Application id (`DISCORD_APPLICATION_ID`); a mismatch with the token's application is logged at ready. */
  applicationId: string;
  /** REST base override (`DISCORD_REST_API_URL`), e.g. `http://127.0.0.1:8080/api`; default Discord's. */
  restApiUrl?: string;
  logger: Logger;
  /** Test seam: skip login (tests drive the client with raw packets); default true. */
  login?: boolean;
  /** Minimum time between streaming edits of a reply; default 1000 ms. */
  partialEditIntervalMs?: number;
  /** How long {@link ChatAdapter.stop} waits for commands in progress; default 10000 ms. */
  drainTimeoutMs?: number;
  /** How many answers are remembered in memory for their feedback buttons; default 500. */
  recentAnswersLimit?: number;
  /** How long a 👍/👎 click waits for the vote to be stored before acknowledging first; default 1500 ms. */
  feedbackAckBudgetMs?: number;
}

/**
 * Creates the Discord adapter. Nothing connects until `start`; `post` works before it (REST only).
 * `client` is exposed for tests and diagnostics.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): ChatAdapter & { readonly client: Client } {
  const { logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    ...(options.restApiUrl ? { rest: { api: options.restApiUrl } } : {}),
  });
  client.rest.setToken(options.token);
  const inFlight = new Set<Promise<void>>();
  const recentAnswers = createRecentAnswers(options.recentAnswersLimit ?? RECENT_ANSWERS_DEFAULT);
  let started = false;
  let stopped = false;

  client.on(Events.ClientReady, (ready) => {
    logger.info(
      { tag: ready.user.tag, guilds: ready.guilds.cache.size, applicationId: ready.application.id },
      'discord: connected',
    );
    if (ready.application.id !== options.applicationId) {
      logger.warn(
        { expected: options.applicationId, actual: ready.application.id },
        'discord: DISCORD_APPLICATION_ID does not match the bot token’s application; commands will not be found',
      );
    }
  });
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, 'discord: resumed'));
  client.on(Events.ShardReconnecting, (shardId) => {
    // discord.js reports its own shutdown close as "reconnecting"; only real reconnects are news.
    if (!stopped) logger.info({ shardId }, 'discord: reconnecting');
  });
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ shardId, code: event.code }, 'discord: disconnected and will not reconnect'),
  );
  client.on(Events.ShardError, (err, shardId) => logger.error({ err, shardId }, 'discord: connection error'));
  client.on(Events.Error, (err) => logger.error({ err }, 'discord: client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord: warning'));
  client.rest.on(RESTEvents.RateLimited, (info) =>
    logger.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'discord: rate limited; discord.js waits and retries'),
  );

  const postMessages = async (to: ConversationRef, content: Answer | Briefing): Promise<PostedRef> => {
    const channelId = channelIdOf(to);
    const messages =
      'stories' in content ? renderBriefing(content) : withFeedbackButtons(renderAnswer(content), content, to, recentAnswers);
    let firstId: string | undefined;
    for (const message of messages) {
      const body: RESTPostAPIChannelMessageJSONBody = { embeds: message.embeds, allowed_mentions: { parse: [] } };
      if (message.content) body.content = message.content;
      if (message.components) body.components = message.components;
      try {
        const posted = (await client.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
        firstId ??= posted.id;
      } catch (cause) {
        throw new BriefbotError('PLATFORM_FAILED', `Could not post to Discord channel ${channelId}.`, { cause });
      }
    }
    if (!firstId) throw new BriefbotError('PLATFORM_FAILED', 'Nothing to post to Discord.');
    return { conversation: to, messageId: firstId };
  };

  return {
    platform: 'discord',
    client,

    async start(handler: QuestionHandler) {
      if (started) throw new BriefbotError('USAGE', 'The Discord adapter is already started.');
      started = true;
      const handle = createInteractionHandler({ handler, logger, partialEditIntervalMs: options.partialEditIntervalMs, recentAnswers });
      const click = createFeedbackHandler({ handler, logger, recentAnswers, ackBudgetMs: options.feedbackAckBudgetMs });
      client.on(Events.InteractionCreate, (interaction: Interaction) => {
        if (stopped) return;
        let job: Promise<void>;
        if (interaction.isChatInputCommand()) job = handle(interaction);
        else if (interaction.isButton()) job = click(interaction);
        else return;
        const tracked = job.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      });
      if (options.login === false) return;
      try {
        await client.login(options.token);
      } catch (cause) {
        throw new BriefbotError(
          'PLATFORM_FAILED',
          'Could not connect to Discord. Check DISCORD_TOKEN (Developer Portal → your app → Bot → Reset Token).',
          { cause },
        );
      }
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, options.drainTimeoutMs ?? 10_000);
        });
        await Promise.race([Promise.allSettled([...inFlight]), timeout]);
        clearTimeout(timer);
      }
      await client.destroy();
      logger.info('discord: stopped');
    },

    post: postMessages,

    channelRef,
  };
}
