import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getTasks } from 'node-cron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Briefing } from '../src/core/types.ts';
import { createBriefingService } from '../src/core/briefing-service.ts';
import { silentLogger } from '../src/logger.ts';
import { createScheduler, previousSlot, type SchedulerOptions } from '../src/scheduler.ts';
import { createBriefingRunStore } from '../src/store/briefing-runs.ts';
import { type Db, openDatabase } from '../src/store/database.ts';
import { corpusOf, makeDocument } from './fixtures/corpus/documents.ts';
import { type FakeAdapter, fakeAdapter } from './fixtures/corpus/fake-adapter.ts';

const WEEKDAYS_8AM = '0 8 * * 1-5';
const NY = 'America/New_York';

/** A corpus with one report whose text (and so hash) changes with the clock, so every slot has news. */
function dailyCorpus() {
  const stamp = new Date().toISOString();
  return corpusOf([
    makeDocument({
      id: 'wire/daily.txt',
      title: 'Harbor bridge repairs continue',
      source: 'City Wire',
      text: `Crews continued repairs on the Harbor bridge on ${stamp}, the city said in a statement.\n\nThe bridge remains closed to heavy trucks until engineers finish replacing the steel cables.`,
    }),
  ]);
}

const iso = (posts: FakeAdapter['posts']): string[] => posts.map((p) => new Date(p.at).toISOString());

describe('scheduler', () => {
  let dir: string;
  const dbs: Db[] = [];
  const stops: Array<() => Promise<void>> = [];
  const open = (): Db => {
    const db = openDatabase({ dataDir: dir });
    dbs.push(db);
    return db;
  };
  beforeEach(() => {
    vi.useFakeTimers();
    dir = mkdtempSync(path.join(tmpdir(), 'briefbot-sched-'));
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    vi.useRealTimers();
    for (const db of dbs.splice(0)) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function scheduler(db: Db, adapters: FakeAdapter[], extra: Partial<SchedulerOptions> = {}) {
    const briefings = createBriefingService({ db, logger: silentLogger(), defaultCron: WEEKDAYS_8AM, defaultTimezone: NY, corpus: dailyCorpus });
    const s = createScheduler({
      briefings,
      adapters,
      cron: WEEKDAYS_8AM,
      timezone: NY,
      slackChannels: adapters.some((a) => a.platform === 'slack') ? ['C1'] : [],
      discordChannels: [],
      graceMinutes: 120,
      db,
      logger: silentLogger(),
      staggerMs: 0,
      ...extra,
    });
    stops.push(() => s.stop());
    return { s, briefings };
  }

  it('fires weekdays at 08:00 New York time on both sides of the DST change', async () => {
    vi.setSystemTime(new Date('2026-03-05T14:00:00Z')); // Thursday 09:00 EST
    const slack = fakeAdapter('slack');
    const { s } = scheduler(open(), [slack], { graceMinutes: 0 });
    await s.start();
    const task = [...getTasks().values()].find((t) => t.name === `briefing ${WEEKDAYS_8AM} ${NY}`);
    expect(task?.getNextRun()?.toISOString()).toBe('2026-03-06T13:00:00.000Z');
    await vi.advanceTimersByTimeAsync(new Date('2026-03-10T12:30:00Z').getTime() - Date.now());
    // Friday 08:00 EST = 13:00Z; no weekend posts; Monday and Tuesday 08:00 EDT = 12:00Z.
    expect(iso(slack.posts)).toEqual(['2026-03-06T13:00:00.000Z', '2026-03-09T12:00:00.000Z', '2026-03-10T12:00:00.000Z']);
    expect(slack.posts.every((p) => p.to.id === 'C1' && (p.content as Briefing).stories.length === 1)).toBe(true);
    await s.stop();
    expect([...getTasks().values()].some((t) => t.name?.startsWith('briefing '))).toBe(false);
  });

  it('posts once when the bot restarts during a slot, with the first post still in flight', async () => {
    vi.setSystemTime(new Date('2026-03-09T11:59:59Z'));
    const first = fakeAdapter('slack');
    let release!: () => void;
    first.hold = new Promise((r) => {
      release = r;
    });
    const a = scheduler(open(), [first]);
    await a.s.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(first.posts).toHaveLength(1);
    // The "restarted" process opens the same SQLite file while the first post has not returned yet.
    vi.setSystemTime(new Date('2026-03-09T12:00:30Z'));
    const second = fakeAdapter('slack');
    const b = scheduler(open(), [second]);
    await b.s.start();
    release();
    await a.s.stop();
    // And once more after the first one finished, a few minutes later.
    vi.setSystemTime(new Date('2026-03-09T12:05:00Z'));
    const third = fakeAdapter('slack');
    await scheduler(open(), [third]).s.start();
    expect(first.posts).toHaveLength(1);
    expect(second.posts).toHaveLength(0);
    expect(third.posts).toHaveLength(0);
    expect(createBriefingRunStore(open()).get('slack:C1', new Date('2026-03-09T12:00:00Z'))).toMatchObject({ status: 'posted', messageId: 'slack-msg-1' });
  });

  it('posts once when two schedulers share one SQLite file', async () => {
    vi.setSystemTime(new Date('2026-03-09T11:00:00Z'));
    const one = fakeAdapter('slack');
    const two = fakeAdapter('slack');
    // Posts stay in flight until released, so both instances reach the slot before either has
    // recorded a posted briefing: only the durable claim can keep the second one from posting.
    let release!: () => void;
    one.hold = two.hold = new Promise((r) => {
      release = r;
    });
    await scheduler(open(), [one], { instanceId: 'one' }).s.start();
    await scheduler(open(), [two], { instanceId: 'two' }).s.start();
    await vi.advanceTimersByTimeAsync(60 * 60_000 + 1000);
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(one.posts.length + two.posts.length).toBe(1);
    expect(iso([...one.posts, ...two.posts])).toEqual(['2026-03-09T12:00:00.000Z']);
  });

  it('posts a slot missed while down exactly once at start-up, and never outside the grace window', async () => {
    vi.setSystemTime(new Date('2026-03-09T12:30:00Z'));
    const slack = fakeAdapter('slack');
    await scheduler(open(), [slack]).s.start();
    expect(iso(slack.posts)).toEqual(['2026-03-09T12:30:00.000Z']);
    expect(createBriefingRunStore(open()).get('slack:C1', new Date('2026-03-09T12:00:00Z'))?.status).toBe('posted');
    // A second restart inside the window posts nothing more.
    vi.setSystemTime(new Date('2026-03-09T12:45:00Z'));
    const again = fakeAdapter('slack');
    const restarted = scheduler(open(), [again]);
    await restarted.s.start();
    expect(again.posts).toHaveLength(0);
    // The regular schedule goes on: the next morning is posted by the running instance.
    await vi.advanceTimersByTimeAsync(new Date('2026-03-10T12:00:01Z').getTime() - Date.now());
    expect(iso(again.posts)).toEqual(['2026-03-10T12:00:00.000Z']);
  });

  it('does not catch up a slot older than the grace window', async () => {
    vi.setSystemTime(new Date('2026-03-09T12:30:00Z'));
    const slack = fakeAdapter('slack');
    await scheduler(open(), [slack], { graceMinutes: 10 }).s.start();
    expect(slack.posts).toHaveLength(0);
  });

  it('keeps targets isolated: a failing channel is marked failed, not retried, and does not block the others', async () => {
    vi.setSystemTime(new Date('2026-03-09T11:59:00Z'));
    const slack = fakeAdapter('slack');
    const discord = fakeAdapter('discord');
    discord.failFor.add('111111111111111111');
    const attempts = vi.spyOn(discord, 'post');
    const db = open();
    await scheduler(db, [slack, discord], { discordChannels: ['111111111111111111', '222222222222222222'] }).s.start();
    await vi.advanceTimersByTimeAsync(2 * 60 * 60_000);
    expect(slack.posts.map((p) => p.to.id)).toEqual(['C1']);
    expect(discord.posts.map((p) => p.to.id)).toEqual(['222222222222222222']);
    expect(attempts).toHaveBeenCalledTimes(2);
    const run = createBriefingRunStore(db).get('discord:111111111111111111', new Date('2026-03-09T12:00:00Z'));
    expect(run).toMatchObject({ status: 'failed' });
    expect(run?.error).toContain('not_in_channel');
  });

  it('staggers Slack posts of one slot', async () => {
    vi.setSystemTime(new Date('2026-03-09T12:00:00Z'));
    const slack = fakeAdapter('slack');
    const { s } = scheduler(open(), [slack], { slackChannels: ['C1', 'C2', 'C3'], staggerMs: 1100, graceMinutes: 0 });
    const done = s.runSlot(new Date('2026-03-09T12:00:00Z'));
    await vi.advanceTimersByTimeAsync(5000);
    await done;
    expect(slack.posts.map((p) => p.to.id)).toEqual(['C1', 'C2', 'C3']);
    expect(slack.posts.map((p) => p.at - slack.posts[0]!.at)).toEqual([0, 1100, 2200]);
  });

  it('schedules subscriptions made from chat on their own cron and time zone, also after a restart', async () => {
    vi.setSystemTime(new Date('2026-03-09T06:00:00Z'));
    const discord = fakeAdapter('discord');
    const room = { platform: 'discord' as const, id: '333333333333333333' };
    const first = scheduler(open(), [discord], { graceMinutes: 0 });
    await first.s.start();
    const reply = await first.briefings.command(room, { kind: 'subscribe', cron: '30 9 * * *', timezone: 'Europe/Paris' });
    expect(reply.message).toContain('Next: Mar 9, 2026, 9:30 AM GMT+1');
    await vi.advanceTimersByTimeAsync(3 * 60 * 60_000);
    expect(iso(discord.posts)).toEqual(['2026-03-09T08:30:00.000Z']);
    await first.s.stop();
    const second = scheduler(open(), [discord], { graceMinutes: 0 });
    await second.s.start();
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000);
    expect(iso(discord.posts)).toEqual(['2026-03-09T08:30:00.000Z', '2026-03-10T08:30:00.000Z']);
    await second.briefings.command(room, { kind: 'unsubscribe' });
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000);
    expect(discord.posts).toHaveLength(2);
  });

  it('finds the most recent slot before now within a window, DST-aware', () => {
    expect(previousSlot(WEEKDAYS_8AM, NY, new Date('2026-03-09T13:00:00Z'), 120 * 60_000)?.toISOString()).toBe('2026-03-09T12:00:00.000Z');
    expect(previousSlot(WEEKDAYS_8AM, NY, new Date('2026-03-06T14:59:00Z'), 120 * 60_000)?.toISOString()).toBe('2026-03-06T13:00:00.000Z');
    expect(previousSlot(WEEKDAYS_8AM, NY, new Date('2026-03-09T14:01:00Z'), 120 * 60_000)).toBeUndefined();
    expect(previousSlot(WEEKDAYS_8AM, NY, new Date('2026-03-08T13:00:00Z'), 120 * 60_000)).toBeUndefined(); // Sunday
  });
});
