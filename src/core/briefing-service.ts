/**
 * Briefings per target: "documents new or changed since this target's last posted briefing",
 * the `/brief` commands (show, now, subscribe, unsubscribe, status) and the record of what was
 * posted where (so a reply in a briefing's thread can be answered about its stories).
 */
import { createTask, validate as validateCron } from 'node-cron';
import type { BriefCommand, BriefCommandResult, ConversationRef, PostedRef } from '../adapters/types.ts';
import { isTimeZone } from '../config.ts';
import { userMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createBriefingRunStore } from '../store/briefing-runs.ts';
import type { Db } from '../store/database.ts';
import { conversationKey, createSubscriptionStore, type Subscription } from '../store/subscriptions.ts';
import { buildBriefing } from './briefing.ts';
import type { Briefing, Document, Passage, SkippedFile, Story } from './types.ts';

/** Options for {@link createBriefingService}. */
export interface BriefingServiceOptions {
  db: Db;
  logger: Logger;
  /** Schedule reported by `status` for conversations without a subscription (`BRIEFING_CRON`). */
  defaultCron: string;
  /** Zone for `subscribe` without a zone, and for `status` (`BRIEFING_TIMEZONE`). */
  defaultTimezone: string;
  /** Current corpus snapshot. */
  corpus: () => { documents: Document[]; skipped: SkippedFile[]; passagesOf(id: string): Passage[] };
  /** Optional model rewrite of each story (identity when absent); a failing or invalid rewrite keeps the extractive story. */
  rewriteStory?: (story: Story, passages: Passage[]) => Promise<Story>;
  /**
   * Posts a briefing into a conversation through the adapter of its platform, for `/brief now`.
   * Called at use time, so the composition root may close over adapters created later. Without
   * it, `now` returns the briefing for the caller to render as its reply.
   */
  post?: (to: ConversationRef, briefing: Briefing) => Promise<PostedRef>;
  /** Clock; default `() => new Date()`. */
  now?: () => Date;
}

/** The briefing service; see {@link createBriefingService}. */
export type BriefingService = ReturnType<typeof createBriefingService>;

/** Turns a list of adapters into the `post` option: the adapter whose platform matches the target. */
export function postThrough(adapters: () => Array<{ platform: string; post(to: ConversationRef, content: Briefing): Promise<PostedRef> }>) {
  return (to: ConversationRef, briefing: Briefing): Promise<PostedRef> => {
    const adapter = adapters().find((a) => a.platform === to.platform);
    if (!adapter) return Promise.reject(new Error(`no ${to.platform} adapter is running`));
    return adapter.post(to, briefing);
  };
}

/** The next instant `cron` fires in `timezone` after the current time (process clock). */
export function nextSlot(cron: string, timezone: string): Date | undefined {
  const task = createTask(cron, () => undefined, { timezone });
  try {
    return task.getNextRuns(1)[0];
  } finally {
    void task.destroy();
  }
}

/** Hash of every document in a snapshot, keyed by document id. */
export function corpusHashes(documents: Document[]): Record<string, string> {
  return Object.fromEntries(documents.map((d) => [d.id, d.hash]));
}

export function createBriefingService(o: BriefingServiceOptions) {
  const runs = createBriefingRunStore(o.db);
  const subs = createSubscriptionStore(o.db);
  const log = o.logger.child({ component: 'briefing' });
  const now = o.now ?? (() => new Date());
  const snapshotHashes = new WeakMap<Briefing, Record<string, string>>();
  const listeners = new Set<() => void>();

  /**
   * The model rewrite of a story, or undefined to keep the extractive one. The model gets the
   * story's passages (cited ones first, furniture-only ones left out); its citations must point at them.
   */
  async function rewrite(story: Story, snapshot: ReturnType<BriefingServiceOptions['corpus']>): Promise<Story | undefined> {
    if (!o.rewriteStory) return undefined;
    const cited = new Set(story.citations.map((c) => c.passageId));
    const furnitureOf = new Map(snapshot.documents.map((d) => [d.id, d.furniture ?? []]));
    const passages = story.documentIds
      .flatMap((id) => snapshot.passagesOf(id))
      .filter((p) => !(furnitureOf.get(p.documentId) ?? []).some((f) => f.start <= p.start && p.end <= f.end))
      .sort((a, b) => Number(cited.has(b.id)) - Number(cited.has(a.id)));
    const given = new Set(passages.map((p) => p.id));
    try {
      const out = await o.rewriteStory(story, passages);
      if (out === story) return undefined;
      const markers = [...out.summary.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      const valid =
        markers.length > 0 &&
        markers.every((n) => n >= 1 && n <= out.citations.length) &&
        out.citations.every((c, i) => c.n === i + 1 && given.has(c.passageId));
      if (valid) return out;
      log.warn({ headline: story.headline }, 'model rewrite cited passages it was not given; keeping the extractive story');
    } catch (err) {
      log.warn({ err, headline: story.headline }, 'model rewrite failed; keeping the extractive story');
    }
    return undefined;
  }

  async function build(target: ConversationRef | undefined, opts: { all?: boolean } = {}): Promise<Briefing> {
    const snapshot = o.corpus();
    const baseline = target && !opts.all ? runs.lastPost(conversationKey(target))?.documentHashes : undefined;
    const documents = baseline ? snapshot.documents.filter((d) => baseline[d.id] !== d.hash) : snapshot.documents;
    const briefing = buildBriefing({ documents, skipped: snapshot.skipped, passagesOf: (id) => snapshot.passagesOf(id), now: now() });
    if (o.rewriteStory) {
      let rewritten = 0;
      for (let i = 0; i < briefing.stories.length; i++) {
        const out = await rewrite(briefing.stories[i]!, snapshot);
        if (out) {
          briefing.stories[i] = out;
          rewritten++;
        }
      }
      if (rewritten > 0) briefing.mode = 'llm';
    }
    snapshotHashes.set(briefing, corpusHashes(snapshot.documents));
    return briefing;
  }

  function recordPosted(target: ConversationRef, posted: PostedRef, briefing: Briefing, documentHashes: Record<string, string>): void {
    runs.recordPost({
      targetId: conversationKey(target),
      conversationKey: conversationKey(posted.conversation),
      messageId: posted.messageId,
      postedAt: now().toISOString(),
      documentIds: [...new Set(briefing.stories.flatMap((s) => s.documentIds))],
      documentHashes,
      storyCount: briefing.stories.length,
    });
  }

  const when = (d: Date | undefined, timezone: string): string =>
    d
      ? new Intl.DateTimeFormat('en-US', {
          timeZone: timezone,
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
          timeZoneName: 'short',
        }).format(d)
      : 'never (the expression has no future run)';

  async function command(conversation: ConversationRef, cmd: BriefCommand): Promise<BriefCommandResult> {
    try {
      switch (cmd.kind) {
        case 'show': {
          const fresh = await build(conversation);
          if (fresh.stories.length) return { briefing: fresh };
          const last = runs.lastPost(conversationKey(conversation));
          return {
            message: last ? `Nothing new since the briefing posted here on ${last.postedAt.slice(0, 10)}; here is the full briefing.` : undefined,
            briefing: await build(conversation, { all: true }),
          };
        }
        case 'now': {
          const briefing = await build(conversation);
          if (!briefing.stories.length) return { message: 'No new or changed documents since the last briefing here, so there is nothing to post.' };
          if (!o.post) return { briefing };
          const posted = await o.post(conversation, briefing);
          recordPosted(conversation, posted, briefing, snapshotHashes.get(briefing)!);
          const n = briefing.stories.length;
          return { message: `Posted a briefing with ${n} ${n === 1 ? 'story' : 'stories'}.` };
        }
        case 'subscribe': {
          const cron = cmd.cron.trim();
          const timezone = cmd.timezone?.trim() || o.defaultTimezone;
          if (!cron || !validateCron(cron)) {
            return { message: `"${cron}" is not a cron expression. Example: \`/brief subscribe 0 8 * * 1-5 Europe/Paris\` (weekdays 08:00).` };
          }
          if (!isTimeZone(timezone)) return { message: `"${timezone}" is not a time zone. Use an IANA name such as America/New_York or Europe/Paris.` };
          subs.upsert({ conversation, cron, timezone, createdAt: now().toISOString() });
          notify();
          return { message: `Subscribed: briefings here on \`${cron}\` (${timezone}). Next: ${when(nextSlot(cron, timezone), timezone)}.` };
        }
        case 'unsubscribe': {
          const removed = subs.remove(conversation);
          if (removed) notify();
          return { message: removed ? 'Unsubscribed: no more scheduled briefings here.' : 'This conversation has no briefing subscription.' };
        }
        case 'status': {
          const sub = subs.get(conversation);
          const last = runs.lastPost(conversationKey(conversation));
          const lastLine = last
            ? `Last briefing here: ${when(new Date(last.postedAt), sub?.timezone ?? o.defaultTimezone)} (${last.storyCount} ${last.storyCount === 1 ? 'story' : 'stories'}).`
            : 'No briefing has been posted here yet.';
          const scheduleLine = sub
            ? `Subscribed on \`${sub.cron}\` (${sub.timezone}). Next: ${when(nextSlot(sub.cron, sub.timezone), sub.timezone)}.`
            : `No subscription here. Configured channels get briefings on \`${o.defaultCron}\` (${o.defaultTimezone}); next: ${when(nextSlot(o.defaultCron, o.defaultTimezone), o.defaultTimezone)}.`;
          return { message: `${scheduleLine} ${lastLine}` };
        }
      }
    } catch (err) {
      log.error({ err, command: cmd.kind, conversation: conversationKey(conversation) }, '/brief failed');
      return { message: userMessage(err) };
    }
  }

  function notify(): void {
    for (const l of listeners) {
      try {
        l();
      } catch (err) {
        log.error({ err }, 'subscription listener failed');
      }
    }
  }

  return {
    /** The briefing for a target: documents new or changed since that target's last posted briefing (first run, or all=true: everything). */
    build,
    /** /brief command handling for QuestionHandler.brief. Never throws: failures become a friendly message. */
    command,
    /** documentIds of the briefing posted into this conversation (a briefing thread), if any. */
    briefingDocuments(conversation: ConversationRef): string[] | undefined {
      return runs.postIn(conversationKey(conversation))?.documentIds;
    },
    /** Record that a briefing was posted (so the next one holds only new/changed documents, and its thread is known). */
    recordPosted,
    /** Hashes of the whole corpus snapshot a briefing from {@link build} was made from (pass to `recordPosted`). */
    documentHashes(briefing: Briefing): Record<string, string> {
      return snapshotHashes.get(briefing) ?? corpusHashes(o.corpus().documents);
    },
    /** Every chat subscription, oldest first. */
    subscriptions(): Subscription[] {
      return subs.list();
    },
    /** Calls `listener` after a subscribe/unsubscribe; returns a function that removes it. */
    onSubscriptionsChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
