import type { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.ts';
import { renderPartial, renderPlaceholder, type SlackMessage } from './format.ts';

/** Options for {@link createReply}. */
export interface ReplyOptions {
  client: webApi.WebClient;
  channel: string;
  /** Thread to reply in; top level of `channel` when absent (DMs). */
  threadTs?: string;
  logger: Logger;
  /** Show the placeholder only when the answer takes longer than this (ms); default 800. 0 = at once. */
  placeholderDelayMs?: number;
  /** Least time between two edits of the placeholder while a model streams (ms); default 1000. */
  updateIntervalMs?: number;
}

/** One answer on its way to Slack: a placeholder, throttled streaming edits, then the answer. */
export interface Reply {
  /** The whole markdown written so far; shows the placeholder at once and edits it at most once per interval. */
  partial(markdownSoFar: string): void;
  /**
   * Delivers the final messages: the first replaces the placeholder (chat.update) when one was
   * shown, otherwise it is posted; the rest follow in the same thread. Resolves with their `ts`s.
   * Later `partial` calls are ignored.
   */
  finish(messages: SlackMessage[]): Promise<string[]>;
}

/**
 * Starts a reply. Every Slack call of a reply runs in order (one at a time), so a late streaming
 * edit can never overwrite the final answer. Failed placeholder/streaming edits are logged and
 * skipped; a failed final post rejects `finish`.
 */
export function createReply(options: ReplyOptions): Reply {
  const { client, channel, threadTs, logger } = options;
  const interval = options.updateIntervalMs ?? 1000;
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  let placeholder: Promise<string | undefined> | undefined;
  let latest = '';
  let lastEdit = 0;
  let editTimer: NodeJS.Timeout | undefined;
  let done = false;

  const post = async (message: SlackMessage, thread?: string): Promise<string> => {
    const res = await client.chat.postMessage({ channel, thread_ts: thread, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
    if (!res.ts) throw new Error('chat.postMessage returned no ts');
    return res.ts;
  };
  const showPlaceholder = (): void => {
    if (placeholder || done) return;
    placeholder = enqueue(() => post(renderPlaceholder(), threadTs)).catch((err: unknown) => {
      logger.warn({ err, channel }, 'Could not post the Slack placeholder; the answer will be posted when ready');
      return undefined;
    });
  };
  const placeholderTimer = setTimeout(showPlaceholder, options.placeholderDelayMs ?? 800);

  // At most one edit is scheduled or in flight; the next starts `interval` after the last began.
  let editing = false;
  const scheduleEdit = (): void => {
    editing = true;
    editTimer = setTimeout(runEdit, Math.max(0, lastEdit + interval - Date.now()));
  };
  const runEdit = (): void => {
    editTimer = undefined;
    const text = latest;
    void enqueue(async () => {
      const ts = await placeholder;
      if (done || !ts) return;
      lastEdit = Date.now();
      const message = renderPartial(text);
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    })
      .catch((err: unknown) => logger.warn({ err, channel }, 'Could not update the Slack placeholder while streaming'))
      .finally(() => {
        editing = false;
        if (!done && latest !== text) scheduleEdit();
      });
  };

  return {
    partial(markdownSoFar) {
      if (done) return;
      latest = markdownSoFar;
      showPlaceholder();
      if (!editing) scheduleEdit();
    },
    finish(messages) {
      done = true;
      clearTimeout(placeholderTimer);
      clearTimeout(editTimer);
      return enqueue(async () => {
        const ts: string[] = [];
        const [first, ...rest] = messages;
        if (!first) return ts;
        const placeholderTs = await placeholder;
        if (placeholderTs) {
          await client.chat.update({ channel, ts: placeholderTs, text: first.text, blocks: first.blocks });
          ts.push(placeholderTs);
        } else {
          ts.push(await post(first, threadTs));
        }
        for (const message of rest) ts.push(await post(message, threadTs));
        return ts;
      });
    },
  };
}
