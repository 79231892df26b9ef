import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBriefingService, postThrough } from '../../src/core/briefing-service.ts';
import type { Document, Story } from '../../src/core/types.ts';
import { createLogger, silentLogger } from '../../src/logger.ts';
import { type Db, openDatabase } from '../../src/store/database.ts';
import { corpusOf, makeDocument, sampleDocuments } from '../fixtures/corpus/documents.ts';
import { fakeAdapter } from '../fixtures/corpus/fake-adapter.ts';
import { libraryDocuments, loneDocuments } from '../fixtures/corpus/unrelated.ts';

const CHANNEL = { platform: 'slack' as const, id: 'C1' };

describe('briefing service', () => {
  let db: Db;
  let documents: Document[];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-05T14:00:00Z'));
    db = openDatabase({ dataDir: ':memory:' });
    documents = [...sampleDocuments(), ...libraryDocuments()];
  });
  afterEach(() => {
    db.close();
    vi.useRealTimers();
  });
  const service = (extra: Partial<Parameters<typeof createBriefingService>[0]> = {}) =>
    createBriefingService({
      db,
      logger: process.env.HDEBUG ? createLogger({ level: 'debug', destination: process.stdout as never }) : silentLogger(),
      defaultCron: '0 8 * * 1-5',
      defaultTimezone: 'America/New_York',
      corpus: () => corpusOf(documents),
      ...extra,
    });

  it('briefs a target on only the documents new or changed since its last posted briefing', async () => {
    const s = service();
    const first = await s.build(CHANNEL);
    expect(first.stories).toHaveLength(2);
    s.recordPosted(CHANNEL, { conversation: { platform: 'slack', id: 'C1:1.0' }, messageId: '1.0' }, first, s.documentHashes(first));
    expect((await s.build(CHANNEL)).stories).toEqual([]);
    // Other targets are unaffected.
    expect((await s.build({ platform: 'discord', id: 'D1' })).stories).toHaveLength(2);
    expect((await s.build(undefined)).stories).toHaveLength(2);

    const [gazette, courier] = libraryDocuments();
    documents = [...documents.filter((d) => d.id !== courier!.id), makeDocument({ id: courier!.id, title: courier!.title, source: courier!.source, text: `${courier!.text}\n\nUpdated with a council statement.` }), ...loneDocuments().slice(0, 1)];
    const next = await s.build(CHANNEL);
    expect(next.stories.flatMap((x) => x.documentIds).sort()).toEqual(['local/library-courier.txt', 'tech/solar-drone.txt']);
    expect(next.stories.flatMap((x) => x.documentIds)).not.toContain(gazette!.id);
    expect(next.documents.included).toBe(2);
    expect((await s.build(CHANNEL, { all: true })).documents.included).toBe(5);
  });

  it('knows which documents a briefing thread is about', async () => {
    const s = service();
    const b = await s.build(CHANNEL);
    s.recordPosted(CHANNEL, { conversation: { platform: 'slack', id: 'C1:1.0' }, messageId: '1.0' }, b, s.documentHashes(b));
    expect(s.briefingDocuments({ platform: 'slack', id: 'C1:1.0' })?.sort()).toEqual(documents.map((d) => d.id).sort());
    expect(s.briefingDocuments({ platform: 'slack', id: 'C1:9.9' })).toBeUndefined();
  });

  it('/brief now posts through the adapter of the requester’s platform and records the post', async () => {
    const slack = fakeAdapter('slack');
    const discord = fakeAdapter('discord');
    const s = service({ post: postThrough(() => [slack, discord]) });
    const result = await s.command(CHANNEL, { kind: 'now' });
    expect(result).toEqual({ message: 'Posted a briefing with 2 stories.' });
    expect(slack.posts).toHaveLength(1);
    expect(discord.posts).toHaveLength(0);
    expect(slack.posts[0]!.to).toEqual(CHANNEL);
    expect(s.briefingDocuments({ platform: 'slack', id: 'C1:slack-msg-1' })).toHaveLength(4);
    // Nothing new: nothing posted twice.
    expect((await s.command(CHANNEL, { kind: 'now' })).message).toMatch(/nothing to post/);
    expect(slack.posts).toHaveLength(1);
  });

  it('/brief now without a poster returns the briefing for the caller to render; a failing post becomes a friendly line', async () => {
    expect((await service().command(CHANNEL, { kind: 'now' })).briefing?.stories).toHaveLength(2);
    const broken = fakeAdapter('slack');
    broken.failFor.add('C1');
    const result = await service({ post: postThrough(() => [broken]) }).command(CHANNEL, { kind: 'now' });
    expect(result.message).toMatch(/Sorry, something went wrong/);
    expect(result.message).not.toContain('not_in_channel');
  });

  it('subscribe validates the cron expression and time zone, persists, and tells the next run', async () => {
    const s = service();
    const changed = vi.fn();
    s.onSubscriptionsChange(changed);
    expect((await s.command(CHANNEL, { kind: 'subscribe', cron: 'every morning' })).message).toMatch(/not a cron expression/);
    expect((await s.command(CHANNEL, { kind: 'subscribe', cron: '0 8 * * 1-5', timezone: 'Mars/Olympus' })).message).toMatch(/not a time zone/);
    expect(changed).not.toHaveBeenCalled();
    const ok = await s.command(CHANNEL, { kind: 'subscribe', cron: '0 8 * * 1-5', timezone: 'Europe/Paris' });
    expect(ok.message).toBe('Subscribed: briefings here on `0 8 * * 1-5` (Europe/Paris). Next: Mar 6, 2026, 8:00 AM GMT+1.');
    expect(changed).toHaveBeenCalledTimes(1);
    // A new service over the same database sees it.
    expect(service().subscriptions()).toEqual([{ conversation: CHANNEL, cron: '0 8 * * 1-5', timezone: 'Europe/Paris', createdAt: '2026-03-05T14:00:00.000Z' }]);
    // Default zone when none is given.
    await s.command(CHANNEL, { kind: 'subscribe', cron: '0 7 * * *' });
    expect(s.subscriptions()[0]!.timezone).toBe('America/New_York');
  });

  it('status reports the schedule, next run and last briefing; unsubscribe removes it', async () => {
    const s = service({ post: postThrough(() => [fakeAdapter('slack')]) });
    expect((await s.command(CHANNEL, { kind: 'status' })).message).toBe(
      'No subscription here. Configured channels get briefings on `0 8 * * 1-5` (America/New_York); next: Mar 6, 2026, 8:00 AM EST. No briefing has been posted here yet.',
    );
    await s.command(CHANNEL, { kind: 'subscribe', cron: '0 8 * * 1-5', timezone: 'America/New_York' });
    await s.command(CHANNEL, { kind: 'now' });
    expect((await s.command(CHANNEL, { kind: 'status' })).message).toBe(
      'Subscribed on `0 8 * * 1-5` (America/New_York). Next: Mar 6, 2026, 8:00 AM EST. Last briefing here: Mar 5, 2026, 9:00 AM EST (2 stories).',
    );
    expect((await s.command(CHANNEL, { kind: 'unsubscribe' })).message).toMatch(/^Unsubscribed/);
    expect((await s.command(CHANNEL, { kind: 'unsubscribe' })).message).toMatch(/no briefing subscription/);
    expect(s.subscriptions()).toEqual([]);
  });

  it('show returns the full briefing with a note when nothing is new', async () => {
    const s = service({ post: postThrough(() => [fakeAdapter('slack')]) });
    expect((await s.command(CHANNEL, { kind: 'show' })).briefing?.stories).toHaveLength(2);
    await s.command(CHANNEL, { kind: 'now' });
    const again = await s.command(CHANNEL, { kind: 'show' });
    expect(again.message).toMatch(/^Nothing new since the briefing posted here on 2026-03-05/);
    expect(again.briefing?.stories).toHaveLength(2);
  });

  it('uses a valid model rewrite and keeps the extractive story when the rewrite fails or cites passages it was not given', async () => {
    const rewriteStory = vi.fn(async (story: Story, passages: Array<{ id: string; text: string }>) => {
      if (story.sources.includes('NBC News')) {
        expect(passages.some((p) => /Download the NBC News app/.test(p.text))).toBe(false);
        return { ...story, headline: 'Model headline', summary: `${story.citations[0]!.quote} [1]`, citations: [story.citations[0]!] };
      }
      return { ...story, summary: 'Invented [1]', citations: [{ ...story.citations[0]!, passageId: 'nowhere#0' }] };
    });
    const b = await service({ rewriteStory }).build(undefined);
    expect(b.mode).toBe('llm');
    expect(b.stories.map((x) => x.headline)).toEqual(['Model headline', 'Riverton council approves library expansion']);
    const failing = await service({ rewriteStory: async () => Promise.reject(new Error('model down')) }).build(undefined);
    expect(failing.mode).toBe('extractive');
    expect(failing.stories).toHaveLength(2);
  });
});
