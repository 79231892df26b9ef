import type { Answer, Briefing, Citation } from '../core/types.ts';

/** The chat surfaces briefbot speaks on. */
export type Platform = 'slack' | 'discord' | 'console';

/**
 * Where a conversation happens, as an opaque reference. Only the adapter that made it knows what
 * `id` means (a Slack channel and thread ts, a Discord channel, …); the core only stores and
 * compares it. `id` must be stable across restarts: it keys dedupe, history and subscriptions.
 */
export interface ConversationRef {
  readonly platform: Platform;
  /** Adapter-defined, stable, opaque. Never parsed outside the adapter that produced it. */
  readonly id: string;
}

/** A question as an adapter received it, already stripped of the bot mention. */
export interface IncomingQuestion {
  /** The question text as the user wrote it (the core validates length and content). */
  text: string;
  /** Where the answer goes; also keys the thread's conversation history. */
  conversation: ConversationRef;
  /** Opaque user id, for feedback records and logs. */
  userId?: string;
}

/** Options for {@link QuestionHandler.ask}. */
export interface AskOptions {
  /**
   * Called with the whole markdown written so far while a model streams (not per token delta).
   * Adapters throttle their own edits (Slack: about once a second). Never called in extractive mode.
   */
  onPartial?: (markdownSoFar: string) => void;
  /** Aborts retrieval/generation (e.g. the platform token expired). */
  signal?: AbortSignal;
}

/** A `/brief` request from chat. `show` is a bare `/brief`. */
export type BriefCommand =
  | { kind: 'show' }
  | { kind: 'now' }
  | { kind: 'subscribe'; cron: string; timezone?: string }
  | { kind: 'unsubscribe' }
  | { kind: 'status' };

/** What a `/brief` request produced: a briefing to render, a plain status line, or both. */
export interface BriefCommandResult {
  /** A line to show the requester (confirmation, status, usage or error). */
  message?: string;
  /** The briefing to render, for `show` and `now`. */
  briefing?: Briefing;
}

/** A 👍/👎 click on an answer. */
export interface FeedbackVote {
  conversation: ConversationRef;
  userId?: string;
  vote: 'up' | 'down';
  question: string;
  answer: string;
  citations: Citation[];
}

/**
 * Everything an adapter may ask of the core. Adapters translate platform events into these calls
 * and render what comes back; they never retrieve or generate themselves.
 */
export interface QuestionHandler {
  /**
   * Answers one question with citations. Never throws for bad input: an empty, over-long or hostile
   * question resolves to a polite refusal with `found: false`. Model failures degrade to the
   * extractive answer with a note. Earlier questions in the same conversation inform retrieval.
   */
  ask(question: IncomingQuestion, options?: AskOptions): Promise<Answer>;
  /** The top passages for a query, as citations (quote = the passage's best sentence), best first. */
  sources(query: string, limit?: number): Promise<Citation[]>;
  /** Handles `/brief` and its subcommands for a conversation. */
  brief(conversation: ConversationRef, command: BriefCommand): Promise<BriefCommandResult>;
  /**
   * True when the bot has already answered in this conversation (so a plain thread reply without a
   * mention continues it), or posted a briefing there.
   */
  isActiveConversation(conversation: ConversationRef): boolean;
  /** Records a 👍/👎 vote durably. */
  recordFeedback(vote: FeedbackVote): Promise<void>;
  /**
   * Claims a platform delivery id (e.g. Slack `event_id`) durably. Returns false when it was claimed
   * before, so retries (even after a restart) are dropped.
   */
  claimDelivery(deliveryId: string): boolean;
}

/** A message the adapter posted, to find it again (threads, edits). */
export interface PostedRef {
  /** Conversation the post lives in; for Slack, the thread started by the post. */
  conversation: ConversationRef;
  /** Platform message id (Slack ts, Discord message id), opaque to the core. */
  messageId: string;
}

/** One chat platform. Thin: translates events in and renders answers/briefings out. */
export interface ChatAdapter {
  readonly platform: Platform;
  /** Connects and starts delivering questions to `handler`. Resolves once connected. */
  start(handler: QuestionHandler): Promise<void>;
  /** Disconnects; idempotent. */
  stop(): Promise<void>;
  /**
   * Posts an answer or a briefing into a conversation (scheduled briefings use this), split to the
   * platform's limits. `channelId` targets are turned into refs by {@link ChatAdapter.channelRef}.
   */
  post(to: ConversationRef, content: Answer | Briefing): Promise<PostedRef>;
  /** The conversation ref for a configured channel id (e.g. from `BRIEFING_SLACK_CHANNELS`). */
  channelRef(channelId: string): ConversationRef;
}
