/**
 * Test helpers for the Discord adapter: a recording fake of the core's QuestionHandler (and one
 * whose feedback goes to a real store), raw INTERACTION_CREATE payloads (commands and button
 * clicks) built from the recorded Discord example, and a capturing logger.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../../src/logger.ts';
import type {
  AskOptions,
  BriefCommand,
  BriefCommandResult,
  ConversationRef,
  FeedbackVote,
  IncomingQuestion,
  QuestionHandler,
} from '../../../src/adapters/types.ts';
import type { Answer, Briefing, Citation } from '../../../src/core/types.ts';
import type { FeedbackStore } from '../../../src/store/feedback.ts';
import { APP_ID, rawBotMessage } from './fake-discord.ts';

/** The Discord docs' example interaction (test/fixtures/discord, source in test/fixtures/SOURCES.md). */
const EXAMPLE = JSON.parse(
  readFileSync(new URL('../../fixtures/discord/interaction_application_command.string_option.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

export const GUILD_ID = EXAMPLE.guild_id as string;
export const CHANNEL_ID = EXAMPLE.channel_id as string;
export const USER_ID = (EXAMPLE.member as { user: { id: string } }).user.id;

export interface RawOption {
  type: number;
  name: string;
  value?: string | number | boolean;
  options?: RawOption[];
}

let counter = 786008729715212338n;

/**
 * A raw INTERACTION_CREATE `d` for `/name options…`: the docs' example with its `_source` removed
 * and the fields live payloads carry that the example lacks (application_id, channel object,
 * entitlements, authorizing_integration_owners, version). `permissions` overrides the member's.
 */
export function commandPayload(name: string, options: RawOption[], extra: { permissions?: string } = {}): Record<string, unknown> {
  const base = interactionBase();
  const member = base.member as Record<string, unknown>;
  if (extra.permissions !== undefined) member.permissions = extra.permissions;
  return { ...base, data: { id: '771825006014889984', name, type: 1, options } };
}

/**
 * The envelope every raw interaction shares: the docs' example without its `_source`, a fresh id and
 * token, and the fields live payloads carry that the example lacks.
 */
function interactionBase(): Record<string, unknown> {
  const base = Object.fromEntries(Object.entries(structuredClone(EXAMPLE)).filter(([k]) => !k.startsWith('_')));
  counter += 1n;
  return {
    ...base,
    id: String(counter),
    token: `A_UNIQUE_TOKEN_${counter}`,
    application_id: APP_ID,
    version: 1,
    channel: { id: CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: 'general' },
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD_ID },
    context: 0,
  };
}

/** A citation with readable defaults. */
export function citation(n: number, over: Partial<Citation> = {}): Citation {
  return {
    n,
    passageId: `news/doc-${n}.md#0`,
    documentId: `news/doc-${n}.md`,
    title: `Document ${n}`,
    source: `Outlet ${n}`,
    url: `https://example.com/news/${n}`,
    quote: `Quoted sentence number ${n}.`,
    ...over,
  };
}

/** An answer with readable defaults. */
export function answer(over: Partial<Answer> = {}): Answer {
  return {
    question: 'When does the library open?',
    markdown: 'The library opens at 9am on weekdays [1] and at noon on Sundays [2].',
    citations: [citation(1, { quote: 'The library opens at 9am on weekdays.' }), citation(2, { quote: 'On Sundays it opens at noon.' })],
    found: true,
    mode: 'extractive',
    confidence: 'high',
    ...over,
  };
}

/** A briefing with one story that has a disagreement. */
export function briefing(over: Partial<Briefing> = {}): Briefing {
  const a = citation(1, { source: 'Reuters', quote: 'The bridge reopened on Monday.' });
  const b = citation(2, { source: 'AP', quote: 'The bridge reopened on Tuesday.' });
  return {
    generatedAt: '2025-11-20T08:00:00.000Z',
    stories: [
      {
        headline: 'Harbour bridge reopens after repairs',
        summary: 'The harbour bridge reopened after six weeks of repairs [1] [2].',
        citations: [a, b],
        documentIds: [a.documentId, b.documentId],
        sources: ['Reuters', 'AP'],
        disagreements: [{ about: 'the day it reopened', citations: [a, b] }],
      },
    ],
    documents: { included: 12, skipped: [{ path: 'broken.html', reason: 'not valid UTF-8' }] },
    mode: 'extractive',
    ...over,
  };
}

/** A QuestionHandler that records calls and answers from the functions a test supplies. */
export class FakeHandler implements QuestionHandler {
  readonly asks: Array<{ question: IncomingQuestion; options?: AskOptions }> = [];
  readonly sourceCalls: Array<{ query: string; limit?: number }> = [];
  readonly briefs: Array<{ conversation: ConversationRef; command: BriefCommand }> = [];
  readonly claimed = new Set<string>();

  constructor(
    public onAsk: (q: IncomingQuestion, o?: AskOptions) => Promise<Answer> = async () => answer(),
    public onSources: (query: string, limit?: number) => Promise<Citation[]> = async () => [citation(1), citation(2)],
    public onBrief: (c: ConversationRef, cmd: BriefCommand) => Promise<BriefCommandResult> = async () => ({ briefing: briefing() }),
  ) {}

  ask(question: IncomingQuestion, options?: AskOptions): Promise<Answer> {
    this.asks.push({ question, options });
    return this.onAsk(question, options);
  }
  sources(query: string, limit?: number): Promise<Citation[]> {
    this.sourceCalls.push({ query, limit });
    return this.onSources(query, limit);
  }
  brief(conversation: ConversationRef, command: BriefCommand): Promise<BriefCommandResult> {
    this.briefs.push({ conversation, command });
    return this.onBrief(conversation, command);
  }
  isActiveConversation(): boolean {
    return false;
  }
  async recordFeedback(_vote: FeedbackVote): Promise<void> {}
  claimDelivery(deliveryId: string): boolean {
    if (this.claimed.has(deliveryId)) return false;
    this.claimed.add(deliveryId);
    return true;
  }
}

/** A pino logger whose lines are kept as parsed objects. */
export function captureLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug', serializers: { err: pino.stdSerializers.errWithCause } }, stream), lines };
}

/** Checks one message body against every Discord limit; returns the problems found. */
// biome-ignore lint/suspicious/noExplicitAny: raw request body
export function limitProblems(body: any): string[] {
  const problems: string[] = [];
  if ((body.content ?? '').length > 2000) problems.push(`content ${body.content.length}`);
  const embeds = body.embeds ?? [];
  if (embeds.length > 10) problems.push(`${embeds.length} embeds`);
  let total = 0;
  for (const e of embeds) {
    if ((e.title ?? '').length > 256) problems.push(`title ${e.title.length}`);
    if ((e.description ?? '').length > 4096) problems.push(`description ${e.description.length}`);
    if ((e.fields ?? []).length > 25) problems.push(`${e.fields.length} fields`);
    if ((e.footer?.text ?? '').length > 2048) problems.push(`footer ${e.footer.text.length}`);
    for (const f of e.fields ?? []) {
      if (f.name.length > 256 || f.value.length > 1024) problems.push(`field ${f.name.length}/${f.value.length}`);
      total += f.name.length + f.value.length;
    }
    total += (e.title ?? '').length + (e.description ?? '').length + (e.footer?.text ?? '').length + (e.author?.name ?? '').length;
  }
  if (total > 6000) problems.push(`embed total ${total}`);
  return problems;
}

/** All text a user sees in a message body (content, titles, descriptions, fields, footers). */
// biome-ignore lint/suspicious/noExplicitAny: raw request body
export function visibleText(body: any): string {
  const parts: string[] = [body.content ?? ''];
  for (const e of body.embeds ?? []) {
    parts.push(e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f: { name: string; value: string }) => [f.name, f.value]), e.footer?.text ?? '');
  }
  return parts.join('\n');
}

/**
 * A raw message as Discord sends it inside a component interaction: the bot's message with the
 * `embeds`, `components` and `content` the adapter sent (`body` of a recorded edit or follow-up).
 * `askerId` adds the `interaction_metadata` Discord puts on interaction replies.
 */
// biome-ignore lint/suspicious/noExplicitAny: raw request body
export function messageFrom(body: any, options: { id?: string; askerId?: string; channelId?: string } = {}): Record<string, unknown> {
  counter += 1n;
  return {
    ...rawBotMessage(body, { id: options.id ?? String(counter), channelId: options.channelId ?? CHANNEL_ID, type: 20, authorId: APP_ID }),
    application_id: APP_ID,
    ...(options.askerId
      ? {
          interaction_metadata: {
            id: String(counter - 1n),
            type: 2,
            name: 'ask',
            command_type: 1,
            user: { id: options.askerId, username: 'asker', discriminator: '0', global_name: null, avatar: null },
            authorizing_integration_owners: { '0': GUILD_ID },
          },
        }
      : {}),
  };
}

/**
 * A raw INTERACTION_CREATE `d` for a click (type 3, MESSAGE_COMPONENT) on the button `customId`
 * of `message`, by `userId` (default: the example's member). Built like {@link commandPayload}.
 */
export function buttonPayload(customId: string, message: Record<string, unknown>, options: { userId?: string } = {}): Record<string, unknown> {
  const base = interactionBase();
  const member = base.member as { user: Record<string, unknown> };
  if (options.userId) member.user = { ...member.user, id: options.userId, username: `user${options.userId.slice(-4)}` };
  return { ...base, type: 3, message, data: { custom_id: customId, component_type: 2 } };
}

/**
 * A QuestionHandler whose `recordFeedback` writes to a real feedback store (after `beforeRecord`,
 * which a test may use to delay or fail), keeping every vote it was given in `votes`.
 */
export class StoreBackedHandler extends FakeHandler {
  readonly votes: FeedbackVote[] = [];
  beforeRecord: (vote: FeedbackVote) => Promise<void> = async () => {};

  constructor(readonly store: FeedbackStore) {
    super();
  }

  override async recordFeedback(vote: FeedbackVote): Promise<void> {
    this.votes.push(vote);
    await this.beforeRecord(vote);
    this.store.record(vote);
  }
}
