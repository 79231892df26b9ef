import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, webApi } from '@slack/bolt';
import type { Answer, Briefing } from '../../core/types.ts';
import { BriefbotError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { ChatAdapter, ConversationRef, PostedRef, QuestionHandler } from '../types.ts';
import { boltLogger } from './bolt-logger.ts';
import { DEFAULT_MAX_QUESTION_CHARS } from './commands.ts';
import type { FeedbackPayload } from './feedback-value.ts';
import { renderAnswer, renderBriefing, type SlackMessage } from './format.ts';
import { registerEvents } from './events.ts';
import { registerFeedback } from './feedback.ts';
import { registerCommands } from './slash-commands.ts';
import { channelRef, parseRef, threadRef } from './refs.ts';

export interface SlackAdapterOptions {
  /** Bot token (`xoxb-…`), required. Never logged. */
  botToken: string;
  /** App-level token (`xapp-…`): Socket Mode, the default. */
  appToken?: string;
  /** Signing secret: HTTP mode, used when there is no `appToken`. */
  signingSecret?: string;
  /** HTTP mode port; default 3000; 0 picks a free port (see {@link SlackAdapter.port}). */
  port?: number;
  /** HTTP mode host to listen on; default all interfaces. */
  host?: string;
  /** Web API base (`SLACK_API_URL`), e.g. `https://slack.com/api/`; also used for `apps.connections.open`. */
  apiUrl?: string;
  /** Where the adapter and the Slack SDK log (pass a child logger tagged with the adapter if you like). */
  logger: Logger;
  /** With `botUserId`, skips `auth.test` at start (tests, or a known identity). */
  botId?: string;
  botUserId?: string;
  /** Longest question `/ask` accepts, in characters; default 1000. */
  maxQuestionChars?: number;
  /** A placeholder is posted when an answer takes longer than this (ms); default 800. */
  placeholderDelayMs?: number;
  /** Least time between streaming edits of the placeholder (ms); default 1000 (Slack's ~1/s pace). */
  updateIntervalMs?: number;
}

/** The Slack {@link ChatAdapter}. */
export interface SlackAdapter extends ChatAdapter {
  readonly platform: 'slack';
  /** HTTP mode: the port actually listened on, once started. Undefined in Socket Mode. */
  readonly port?: number;
}

/** What the listeners (events.ts, slash-commands.ts, feedback.ts) need from the adapter. */
export interface SlackContext {
  client: webApi.WebClient;
  handler: QuestionHandler;
  logger: Logger;
  botUserId: string | undefined;
  maxQuestionChars: number;
  placeholderDelayMs: number;
  updateIntervalMs: number;
  /** Full data of recently posted answers, by `channel:ts` of the message holding the buttons. */
  recentAnswers: RecentAnswers;
  /** Runs background work so `stop()` can wait for it. */
  track(work: Promise<unknown>): void;
}

/** A bounded memory of answers posted by this process (feedback clicks prefer it over the button value). */
export interface RecentAnswers {
  remember(channel: string, ts: string, answer: FeedbackPayload): void;
  get(channel: string, ts: string): FeedbackPayload | undefined;
}

/**
 * Creates the Slack adapter. Nothing connects until `start(handler)`: then the identity is checked
 * with `auth.test` (unless `botId`/`botUserId` are given), a Bolt App is started in Socket Mode
 * (with `appToken`) or HTTP mode (`signingSecret`; events, commands and actions on
 * `/slack/events`), and the mode and workspace are logged.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { logger } = options;
  const sdkLogger = boltLogger(options.logger);
  const clientOptions: webApi.WebClientOptions = {
    logger: sdkLogger,
    retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` } : {}),
  };
  const client = new webApi.WebClient(options.botToken, clientOptions);
  const recentAnswers = createRecentAnswers(500);
  const pending = new Set<Promise<unknown>>();
  let app: App | undefined;
  let port: number | undefined;

  const postMessages = async (channel: string, threadTs: string | undefined, messages: SlackMessage[]): Promise<string[]> => {
    const ts: string[] = [];
    for (const message of messages) {
      const res = await client.chat.postMessage({
        channel, thread_ts: threadTs ?? ts[0], text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false,
      });
      if (!res.ts) throw new Error('chat.postMessage returned no ts');
      ts.push(res.ts);
    }
    return ts;
  };

  const adapter: SlackAdapter = {
    platform: 'slack',
    get port() {
      return port;
    },

    async start(handler) {
      if (app) return;
      if (!options.botToken) throw new BriefbotError('CONFIG_INVALID', 'SLACK_BOT_TOKEN (xoxb-…) is required for Slack.');
      if (!options.appToken && !options.signingSecret) {
        throw new BriefbotError('CONFIG_INVALID', 'Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode).');
      }
      const identity = options.botId && options.botUserId
        ? { botId: options.botId, botUserId: options.botUserId, team: undefined, url: undefined }
        : await whoAmI(client);
      const mode = options.appToken ? 'socket' : 'http';
      const common = { token: options.botToken, botId: identity.botId, botUserId: identity.botUserId, logger: sdkLogger, clientOptions };
      const created = options.appToken
        ? new App({ ...common, appToken: options.appToken, socketMode: true })
        : new App({
            ...common,
            receiver: new HTTPReceiver({
              signingSecret: options.signingSecret ?? '',
              endpoints: '/slack/events',
              logger: sdkLogger,
              // A listener error must never become a 5xx for Slack: log it and ack with 200.
              processEventErrorHandler: async ({ error }) => {
                logger.error({ err: error }, 'Slack request handling failed');
                return true;
              },
            }),
          });
      const context: SlackContext = {
        client, handler, logger, botUserId: identity.botUserId, recentAnswers,
        maxQuestionChars: options.maxQuestionChars ?? DEFAULT_MAX_QUESTION_CHARS,
        placeholderDelayMs: options.placeholderDelayMs ?? 800,
        updateIntervalMs: options.updateIntervalMs ?? 1000,
        track(work) {
          pending.add(work);
          void work.finally(() => pending.delete(work));
        },
      };
      registerEvents(created, context);
      registerCommands(created, context);
      registerFeedback(created, context);
      created.error(async (err) => {
        logger.error({ err }, 'Slack listener failed');
      });
      try {
        if (mode === 'http') {
          const server = (await created.start({ port: options.port ?? 3000, host: options.host })) as { address(): AddressInfo | string | null };
          const address = server.address();
          port = typeof address === 'object' && address ? address.port : options.port;
        } else {
          await created.start();
        }
      } catch (cause) {
        await created.stop().catch(() => undefined);
        const hint = mode === 'socket'
          ? ' Check SLACK_APP_TOKEN: an app-level token (xapp-…) with the connections:write scope, and Socket Mode enabled for the app.'
          : ` Check that PORT ${options.port ?? 3000} is free.`;
        throw new BriefbotError('PLATFORM_FAILED', `Could not start the Slack ${mode === 'http' ? 'HTTP receiver' : 'Socket Mode connection'}: ${(cause as Error).message}.${hint}`, { cause });
      }
      app = created;
      logger.info(
        { mode, team: identity.team, url: identity.url, botUserId: identity.botUserId, port },
        mode === 'socket'
          ? `Slack connected in Socket Mode to workspace ${identity.team ?? '(identity given, auth.test skipped)'}`
          : `Slack HTTP mode listening on port ${port} (POST /slack/events) for workspace ${identity.team ?? '(identity given, auth.test skipped)'}`,
      );
    },

    async stop() {
      const running = app;
      app = undefined;
      if (!running) return;
      await running.stop().catch((err: unknown) => logger.warn({ err }, 'Slack receiver did not stop cleanly'));
      const drain = Promise.allSettled([...pending]);
      await Promise.race([drain, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      port = undefined;
    },

    async post(to: ConversationRef, content: Answer | Briefing): Promise<PostedRef> {
      const { channel, threadTs } = parseRef(to);
      const isBriefing = 'stories' in content;
      const messages = isBriefing ? renderBriefing(content) : renderAnswer(content);
      let ts: string[];
      try {
        ts = await postMessages(channel, threadTs, messages);
      } catch (cause) {
        const code = (cause as { data?: { error?: string } }).data?.error;
        const hint = code === 'not_in_channel' || code === 'channel_not_found' ? ' Invite the bot to the channel with /invite.' : '';
        throw new BriefbotError('PLATFORM_FAILED', `Could not post to Slack channel ${channel}${code ? ` (${code})` : ''}.${hint}`, { cause });
      }
      const first = ts[0] as string;
      const last = ts[ts.length - 1] as string;
      if (!isBriefing) recentAnswers.remember(channel, last, { question: content.question, answer: content.markdown, citations: content.citations });
      return { conversation: threadRef(channel, threadTs ?? first), messageId: first };
    },

    channelRef(channelId: string) {
      return channelRef(channelId);
    },
  };
  return adapter;
}

/** Checks the bot token with `auth.test`; the error says how to fix a bad token. */
async function whoAmI(client: webApi.WebClient): Promise<{ botId: string; botUserId: string; team?: string; url?: string }> {
  try {
    const res = await client.auth.test();
    if (!res.user_id) throw new Error('auth.test returned no user_id');
    return { botId: res.bot_id ?? '', botUserId: res.user_id, team: res.team, url: res.url };
  } catch (cause) {
    const code = (cause as { data?: { error?: string } }).data?.error;
    throw new BriefbotError(
      'PLATFORM_FAILED',
      `Slack rejected SLACK_BOT_TOKEN${code ? ` (${code})` : ''}. Copy the Bot User OAuth Token (xoxb-…) from the app's "OAuth & Permissions" page.`,
      { cause },
    );
  }
}

function createRecentAnswers(limit: number): RecentAnswers {
  const map = new Map<string, FeedbackPayload>();
  return {
    remember(channel, ts, answer) {
      map.delete(`${channel}:${ts}`);
      map.set(`${channel}:${ts}`, answer);
      while (map.size > limit) map.delete(map.keys().next().value as string);
    },
    get(channel, ts) {
      return map.get(`${channel}:${ts}`);
    },
  };
}
