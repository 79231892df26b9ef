// End-to-end support: a core built by the composition root (loadConfig → createCore) over the
// repository's sample corpus with a throw-away DATA_DIR, plus checks shared by the e2e tests.
import { Readable } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, loadConfig } from '../../../src/config.ts';
import type { Citation, Passage } from '../../../src/core/types.ts';
import { type Core, type CreateCoreOptions, createCore } from '../../../src/main.ts';
import { recordingLogger } from '../../helpers/recording-logger.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { sseEvents } from '../../models/helpers.ts';

/** The repository root (where docs-corpus/ and prompts/ live). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The sample corpus shipped with the repository. */
export const SAMPLE_CORPUS = path.join(REPO_ROOT, 'docs-corpus');

export interface E2eCore {
  core: Core;
  config: Config;
  /** Every log line the core wrote (debug and up), parsed. */
  logs: Array<Record<string, unknown>>;
  /** Closes the core and removes the data folder. */
  close(): Promise<void>;
}

/**
 * Builds the core exactly as `briefbot start` does: `loadConfig({ env, cwd: REPO_ROOT })` with DOCS_DIR
 * (default the sample corpus), a fresh temporary DATA_DIR and LOG_LEVEL=silent, then `createCore`
 * with `options` (e.g. the running adapters, as `start` passes them).
 */
export async function startCore(env: Record<string, string> = {}, options: CreateCoreOptions = {}): Promise<E2eCore> {
  const data = await tempDir('briefbot-e2e-');
  const config = loadConfig({
    env: { DOCS_DIR: SAMPLE_CORPUS, DATA_DIR: data.dir, LOG_LEVEL: 'silent', ...env },
    cwd: REPO_ROOT,
  });
  const { logger, lines } = recordingLogger();
  const core = await createCore(config, logger, options);
  return {
    core,
    config,
    logs: lines,
    async close() {
      await core.close();
      await data.cleanup();
    },
  };
}

/** Every `[n]` marker number in `markdown`, in order (repeats kept). */
export function markers(markdown: string): number[] {
  return [...markdown.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
}

/**
 * Problems with the rule "every [n] resolves to citations[n-1], and every citation is used":
 * an empty list means the markdown and its citations agree.
 */
export function citationProblems(markdown: string, citations: readonly Citation[]): string[] {
  const problems: string[] = [];
  const used = new Set(markers(markdown));
  for (const n of used) {
    const c = citations[n - 1];
    if (!c) problems.push(`[${n}] has no citation (${citations.length} citations)`);
    else if (c.n !== n) problems.push(`[${n}] resolves to a citation numbered ${c.n}`);
  }
  for (const c of citations) if (!used.has(c.n)) problems.push(`citation ${c.n} is never cited`);
  return problems;
}

/** The passage a citation points at, looked up in the core's library (undefined when it does not exist). */
export function citedPassage(core: Core, citation: Citation): Passage | undefined {
  return core.library.passagesOf(citation.documentId).find((p) => p.id === citation.passageId);
}

/**
 * An SSE body for a streamed chat completion (the shape the API sends), emitted chunk by chunk with
 * `gapMs` between events, so a client sees the deltas arrive over time. With `breakAfter`, the
 * connection fails (the stream errors) once that many events were sent.
 */
export function sseStream(deltas: string[], gapMs: number, options: { breakAfter?: number } = {}): Readable {
  const events = sseEvents(deltas);
  let i = 0;
  return new Readable({
    read() {
      if (options.breakAfter !== undefined && i >= options.breakAfter) {
        setTimeout(() => this.destroy(new Error('socket hang up')), gapMs);
        return;
      }
      const event = events[i++];
      if (event === undefined) {
        this.push(null);
        return;
      }
      setTimeout(() => this.push(event), i === 1 ? 0 : gapMs);
    },
  });
}
