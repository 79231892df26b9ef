/**
 * Throttled, serialised edits of a deferred reply while a model streams. At most one edit is in
 * flight, edits are at least `intervalMs` apart, only the newest text is sent, and nothing is sent
 * after {@link PartialEditor.close}, so a late partial can never overwrite the final answer.
 */
import type { Logger } from '../../logger.ts';

/** Options for {@link createPartialEditor}. */
export interface PartialEditorOptions {
  /** Sends one edit with the text so far. Failures are logged and do not stop later edits. */
  edit: (markdownSoFar: string) => Promise<unknown>;
  /** Minimum time between the starts of two edits; default 1000 ms (Discord's edit rate is about 5 per 5 s). */
  intervalMs?: number;
  logger: Logger;
}

/** Feeds streamed text to throttled edits. */
export interface PartialEditor {
  /** Offers the whole text written so far; may be called for every delta. Ignored after `close`. */
  push(markdownSoFar: string): void;
  /** Stops further edits and resolves once any edit in flight has finished. Idempotent. */
  close(): Promise<void>;
  /** How many edits were started (for logs and tests). */
  readonly edits: number;
}

/** Creates a {@link PartialEditor}. */
export function createPartialEditor(options: PartialEditorOptions): PartialEditor {
  const intervalMs = options.intervalMs ?? 1000;
  let latest: string | undefined;
  let sent: string | undefined;
  let lastStart = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let closed = false;
  let edits = 0;

  const schedule = (): void => {
    if (closed || timer || inFlight || latest === undefined || latest === sent) return;
    const wait = lastStart + intervalMs - Date.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = undefined;
        schedule();
      }, wait);
      return;
    }
    const text = latest;
    sent = text;
    lastStart = Date.now();
    edits += 1;
    inFlight = options
      .edit(text)
      .then(
        () => undefined,
        (err: unknown) => options.logger.warn({ err }, 'discord: streaming edit failed'),
      )
      .finally(() => {
        inFlight = undefined;
        schedule();
      });
  };

  return {
    push(markdownSoFar) {
      if (closed) return;
      latest = markdownSoFar;
      schedule();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    get edits() {
      return edits;
    },
  };
}
