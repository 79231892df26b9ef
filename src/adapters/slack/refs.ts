import type { ConversationRef } from '../types.ts';
import { BriefbotError } from '../../errors.ts';

/**
 * Slack conversation references. The id is `CHANNEL` for a channel or DM as a whole and
 * `CHANNEL:THREAD_TS` for a thread (the `ts` of the thread's parent message), e.g.
 * `C123ABC456:1515449522.000016`. Both parts come straight from Slack and never change, so the id
 * is stable across restarts. The workspace is not part of it: briefbot runs in one workspace per
 * bot token, and channel ids are unique within it.
 */
export interface SlackLocation {
  /** Channel, private channel or DM id (`C…`, `G…`, `D…`). */
  channel: string;
  /** Parent message `ts` when the conversation is a thread. */
  threadTs?: string;
}

const CHANNEL = /^[A-Z0-9]{2,}$/;
const TS = /^\d+(\.\d+)?$/;

/** The ref for a whole channel or DM (`BRIEFING_SLACK_CHANNELS` entries, `/brief`, top-level DMs). */
export function channelRef(channel: string): ConversationRef {
  if (!CHANNEL.test(channel)) {
    throw new BriefbotError('USAGE', `"${channel}" is not a Slack channel id (like C0123ABCD). Copy it from the channel's details.`);
  }
  return { platform: 'slack', id: channel };
}

/** The ref for the thread whose parent message is `threadTs` in `channel`. */
export function threadRef(channel: string, threadTs: string): ConversationRef {
  if (!TS.test(threadTs)) throw new BriefbotError('USAGE', `"${threadTs}" is not a Slack message ts.`);
  return { platform: 'slack', id: `${channelRef(channel).id}:${threadTs}` };
}

/** Reads a ref made by {@link channelRef} or {@link threadRef}; throws `USAGE` for anything else. */
export function parseRef(ref: ConversationRef): SlackLocation {
  const [channel = '', threadTs, extra] = ref.id.split(':');
  if (ref.platform !== 'slack' || extra !== undefined || !CHANNEL.test(channel) || (threadTs !== undefined && !TS.test(threadTs))) {
    throw new BriefbotError('USAGE', `Not a Slack conversation: ${ref.platform}/${ref.id}.`);
  }
  return threadTs === undefined ? { channel } : { channel, threadTs };
}
