/**
 * Posts scheduled briefings. One node-cron task per distinct (cron, time zone): the configured
 * schedule for `BRIEFING_SLACK_CHANNELS` / `BRIEFING_DISCORD_CHANNELS`, and one per chat
 * subscription. Exactly once per target per slot: a durable run record is claimed (an INSERT on a
 * UNIQUE (target, slot) key) before anything is posted, so a restart during a slot or a second
 * instance on the same SQLite file never posts twice; a failed post is marked failed, never retried
 * in a loop. At start-up the most recent slot missed within the grace window is posted once.
 */
import { randomUUID } from 'node:crypto';
import { createTask, parse, type ScheduledTask, schedule } from 'node-cron';
import type { ChatAdapter, ConversationRef } from './adapters/types.ts';
import type { createBriefingService } from './core/briefing-service.ts';
import type { Logger } from './logger.ts';
import { createBriefingRunStore } from './store/briefing-runs.ts';
import type { Db } from './store/database.ts';
import { conversationKey } from './store/subscriptions.ts';

/** Options for {@link createScheduler}. */
export interface SchedulerOptions {
  briefings: ReturnType<typeof createBriefingService>;
  /** Adapters to post through; a target is posted by the adapter of its platform. */
  adapters: ChatAdapter[];
  /** Schedule of the configured channels (`BRIEFING_CRON`). */
  cron: string;
  /** IANA zone of `cron` (`BRIEFING_TIMEZONE`); DST is handled by node-cron. */
  timezone: string;
  /** Channel ids turned into targets with the Slack adapter's `channelRef`. */
  slackChannels: string[];
  /** Channel ids turned into targets with the Discord adapter's `channelRef`. */
  discordChannels: string[];
  /** A slot missed while the bot was down is posted at start-up when at most this old. */
  graceMinutes: number;
  db: Db;
  logger: Logger;
  /** Recorded on claimed runs (which process posted); default a random UUID. */
  instanceId?: string;
  /** Pause between two Slack posts of one slot (Slack allows about 1 post/s per channel); default 1100. */
  staggerMs?: number;
  /** Clock; default `() => new Date()`. */
  now?: () => Date;
}

/** Handle returned by {@link createScheduler}. */
export interface Scheduler {
  /** Schedules every target and posts a slot missed within the grace window (once). */
  start(): Promise<void>;
  /** Stops all cron tasks and waits for a slot in progress to finish; idempotent. */
  stop(): Promise<void>;
  /** Runs one slot now for every target (tests, `brief now`). Resolves when every target is done. */
  runSlot(slot: Date): Promise<void>;
}

interface Target {
  ref: ConversationRef;
  cron: string;
  timezone: string;
}

/**
 * The most recent instant at or before `now` when `cron` fires in `timezone`, if it is at most
 * `windowMs` old. Walks back minute by minute (checking the expression's seconds), so it is cheap
 * for windows of hours to days.
 */
export function previousSlot(cron: string, timezone: string, now: Date, windowMs: number): Date | undefined {
  const task = createTask(cron, () => undefined, { timezone });
  try {
    const seconds = [...parse(cron).second].sort((a, b) => b - a);
    const earliest = now.getTime() - windowMs;
    for (let minute = Math.floor(now.getTime() / 60_000) * 60_000; minute + 59_000 >= earliest; minute -= 60_000) {
      for (const s of seconds) {
        const at = minute + s * 1000;
        if (at > now.getTime() || at < earliest) continue;
        if (task.match(new Date(at))) return new Date(at);
      }
    }
    return undefined;
  } finally {
    void task.destroy();
  }
}

/** Creates the scheduler; nothing runs until {@link Scheduler.start}. */
export function createScheduler(o: SchedulerOptions): Scheduler {
  const runs = createBriefingRunStore(o.db);
  const log = o.logger.child({ component: 'scheduler' });
  const instanceId = o.instanceId ?? randomUUID();
  const staggerMs = o.staggerMs ?? 1100;
  const now = o.now ?? (() => new Date());
  const tasks = new Map<string, ScheduledTask>();
  const inFlight = new Set<Promise<void>>();
  let stopped = true;
  let unsubscribe: (() => void) | undefined;
  const cronLogger = {
    info: (m: string) => log.debug(m),
    warn: (m: string) => log.warn(m),
    error: (m: string | Error, err?: Error) => log.error({ err: err ?? m }, 'node-cron error'),
    debug: (m: string | Error) => log.debug(String(m)),
  };

  const adapterFor = (platform: string): ChatAdapter | undefined => o.adapters.find((a) => a.platform === platform);

  function configuredTargets(): Target[] {
    const out: Target[] = [];
    const add = (platform: 'slack' | 'discord', ids: string[]): void => {
      if (!ids.length) return;
      const adapter = adapterFor(platform);
      if (!adapter) {
        log.warn({ platform, channels: ids }, 'briefing channels configured but the adapter is not running; skipped');
        return;
      }
      for (const id of ids) out.push({ ref: adapter.channelRef(id), cron: o.cron, timezone: o.timezone });
    };
    add('slack', o.slackChannels);
    add('discord', o.discordChannels);
    return out;
  }

  function allTargets(): Target[] {
    const targets = configuredTargets();
    const seen = new Set(targets.map((t) => conversationKey(t.ref)));
    for (const s of o.briefings.subscriptions()) {
      if (seen.has(conversationKey(s.conversation))) continue; // a configured channel keeps its configured schedule
      seen.add(conversationKey(s.conversation));
      targets.push({ ref: s.conversation, cron: s.cron, timezone: s.timezone });
    }
    return targets;
  }

  const scheduleKey = (t: { cron: string; timezone: string }): string => `${t.cron}\u0000${t.timezone}`;

  /** Claims and posts one target's slot. Never throws: a failure is recorded and logged. */
  async function postTarget(target: ConversationRef, slot: Date): Promise<'posted' | 'duplicate' | 'skipped' | 'failed'> {
    const key = conversationKey(target);
    const adapter = adapterFor(target.platform);
    if (!adapter) {
      log.warn({ target: key }, 'no adapter for this target; not claimed');
      return 'skipped';
    }
    let claimed: boolean;
    try {
      claimed = runs.claim(key, slot, instanceId, now());
    } catch (err) {
      log.error({ err, target: key, slot: slot.toISOString() }, 'could not claim the briefing slot; not posting');
      return 'failed';
    }
    if (!claimed) {
      log.debug({ target: key, slot: slot.toISOString() }, 'slot already claimed; not posting again');
      return 'duplicate';
    }
    try {
      const briefing = await o.briefings.build(target);
      if (!briefing.stories.length) {
        runs.finish(key, slot, 'skipped', {}, now());
        log.info({ target: key, slot: slot.toISOString() }, 'no new or changed documents; nothing posted');
        return 'skipped';
      }
      const posted = await adapter.post(target, briefing);
      runs.finish(key, slot, 'posted', { messageId: posted.messageId }, now());
      o.briefings.recordPosted(target, posted, briefing, o.briefings.documentHashes(briefing));
      log.info({ target: key, slot: slot.toISOString(), stories: briefing.stories.length }, 'briefing posted');
      return 'posted';
    } catch (err) {
      try {
        runs.finish(key, slot, 'failed', { error: err instanceof Error ? err.message : String(err) }, now());
      } catch (storeErr) {
        log.error({ err: storeErr, target: key }, 'could not mark the briefing run failed');
      }
      log.error({ err, target: key, slot: slot.toISOString() }, 'briefing post failed; marked failed, not retried');
      return 'failed';
    }
  }

  /** Posts a slot to targets: Slack ones one after another with a pause, the others in parallel. */
  async function runTargets(targets: Target[], slot: Date): Promise<void> {
    const slack = targets.filter((t) => t.ref.platform === 'slack');
    const others = targets.filter((t) => t.ref.platform !== 'slack');
    const slackChain = (async () => {
      let first = true;
      for (const t of slack) {
        if (!first) await sleep(staggerMs);
        first = false;
        await postTarget(t.ref, slot);
      }
    })();
    await Promise.all([slackChain, ...others.map((t) => postTarget(t.ref, slot))]);
  }

  function track(p: Promise<void>): Promise<void> {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  }

  /** Creates cron tasks for schedules that have targets and destroys those that have none left. */
  function syncTasks(): void {
    if (stopped) return;
    const wanted = new Map<string, { cron: string; timezone: string }>();
    for (const t of allTargets()) wanted.set(scheduleKey(t), { cron: t.cron, timezone: t.timezone });
    for (const [key, task] of tasks) {
      if (!wanted.has(key)) {
        void task.destroy();
        tasks.delete(key);
      }
    }
    for (const [key, s] of wanted) {
      if (tasks.has(key)) continue;
      const task = schedule(
        s.cron,
        (ctx) => track(runTargets(allTargets().filter((t) => scheduleKey(t) === key), ctx.date)),
        {
          timezone: s.timezone,
          name: `briefing ${s.cron} ${s.timezone}`,
          logger: cronLogger,
          // A heartbeat that wakes late (busy loop, suspended host) still runs within the grace window.
          missedExecutionTolerance: Math.max(1000, o.graceMinutes * 60_000),
        },
      );
      tasks.set(key, task);
      log.info({ cron: s.cron, timezone: s.timezone, next: task.getNextRun()?.toISOString() }, 'briefing schedule armed');
    }
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      unsubscribe = o.briefings.onSubscriptionsChange(() => syncTasks());
      // Catch-up: the most recent slot of each schedule missed while down, if within the grace window.
      const at = now();
      const bySchedule = new Map<string, Target[]>();
      for (const t of allTargets()) bySchedule.set(scheduleKey(t), [...(bySchedule.get(scheduleKey(t)) ?? []), t]);
      const catchUps: Promise<void>[] = [];
      for (const targets of bySchedule.values()) {
        const { cron, timezone } = targets[0]!;
        const slot = previousSlot(cron, timezone, at, o.graceMinutes * 60_000);
        if (slot) {
          log.info({ cron, timezone, slot: slot.toISOString() }, 'catching up a briefing slot missed while down');
          catchUps.push(track(runTargets(targets, slot)));
        }
      }
      syncTasks();
      await Promise.all(catchUps);
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      unsubscribe = undefined;
      for (const task of tasks.values()) await task.destroy();
      tasks.clear();
      await Promise.all([...inFlight]);
    },
    async runSlot(slot) {
      await track(runTargets(allTargets(), slot));
    },
  };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
