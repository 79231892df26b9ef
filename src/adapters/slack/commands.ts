import { isTimeZone } from '../../config.ts';
import type { BriefCommand } from '../types.ts';

/** Longest `/ask` question accepted by default, in characters. */
export const DEFAULT_MAX_QUESTION_CHARS = 1000;

/** The usage line for `/ask`. */
export const ASK_USAGE = 'Usage: `/ask <question>` (up to 1000 characters), e.g. `/ask what did the report say about delays?`';

/** The usage line for `/brief`. */
export const BRIEF_USAGE =
  'Usage: `/brief` shows the current briefing · `/brief now` posts it here · `/brief status` · ' +
  '`/brief subscribe <cron> [timezone]`, e.g. `/brief subscribe 0 8 * * 1-5 Europe/Paris` · `/brief unsubscribe`';

/** A parsed slash command: what to do, or the usage line to show instead. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; usage: string };

/** Checks `/ask` text: non-empty and at most `maxChars` characters after trimming. */
export function parseAsk(text: string | undefined, maxChars = DEFAULT_MAX_QUESTION_CHARS): Parsed<string> {
  const question = (text ?? '').trim();
  if (!question) return { ok: false, usage: ASK_USAGE.replace('1000', String(maxChars)) };
  if ([...question].length > maxChars) {
    return { ok: false, usage: `That question is ${[...question].length} characters; the limit is ${maxChars}. ${ASK_USAGE.replace('1000', String(maxChars))}` };
  }
  return { ok: true, value: question };
}

/**
 * Parses `/brief` text into a {@link BriefCommand}: empty or `show` → show; `now`, `status`,
 * `unsubscribe`; `subscribe <cron> [timezone]` where the cron has 5 or 6 fields (quotes allowed)
 * and a trailing IANA zone is recognised. The core validates the cron itself; anything else → usage.
 */
export function parseBrief(text: string | undefined): Parsed<BriefCommand> {
  const words = (text ?? '').replace(/["'“”‘’`]/g, ' ').trim().split(/\s+/).filter(Boolean);
  const [sub = 'show', ...rest] = words;
  switch (sub.toLowerCase()) {
    case 'show':
    case 'now':
    case 'status':
    case 'unsubscribe':
      if (rest.length) return { ok: false, usage: `\`/brief ${sub}\` takes no arguments. ${BRIEF_USAGE}` };
      return { ok: true, value: { kind: sub.toLowerCase() as 'show' | 'now' | 'status' | 'unsubscribe' } };
    case 'subscribe': {
      const last = rest[rest.length - 1];
      const hasZone = rest.length >= 6 && last !== undefined && /^[A-Za-z]/.test(last) && isTimeZone(last);
      const fields = hasZone ? rest.slice(0, -1) : rest;
      if (fields.length < 5 || fields.length > 6) {
        return { ok: false, usage: `A schedule needs a cron expression of 5 fields (minute hour day month weekday). ${BRIEF_USAGE}` };
      }
      const command: BriefCommand = { kind: 'subscribe', cron: fields.join(' ') };
      if (hasZone && last) command.timezone = last;
      return { ok: true, value: command };
    }
    default:
      return { ok: false, usage: `Unknown \`/brief ${sub}\`. ${BRIEF_USAGE}` };
  }
}
