import path from 'node:path';
import { watch } from 'chokidar';
import type { Logger } from '../logger.ts';
import type { Library } from './library.ts';

export interface CorpusWatcherOptions {
  library: Library;
  docsDir: string;
  logger: Logger;
  /** Quiet time after the last file event before re-indexing, in ms; default 400. */
  debounceMs?: number;
  /** Called after each batch is applied (tests, metrics). */
  onApplied?: (changed: string[]) => void;
}

export interface CorpusWatcher {
  /** Resolves once the initial scan is done and changes are being watched. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches the corpus folder and re-indexes files that are added, changed or removed, a batch at a
 * time after `debounceMs` of quiet, reprocessing only those files. Errors are logged, never thrown.
 */
export function watchCorpus(options: CorpusWatcherOptions): CorpusWatcher {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const watcher = watch(options.docsDir, {
    ignoreInitial: true,
    ignored: (p) => path.basename(p).startsWith('.') && p !== options.docsDir,
    awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 },
  });
  const flush = (): void => {
    const batch = [...pending];
    pending.clear();
    running = running.then(async () => {
      try {
        const report = await options.library.applyChanges(batch);
        const touched = [...report.added, ...report.changed, ...report.removed];
        if (touched.length) {
          options.logger.info(
            { added: report.added, changed: report.changed, removed: report.removed },
            `Re-indexed ${touched.length} document(s)`,
          );
        }
        options.onApplied?.(touched);
      } catch (error) {
        options.logger.error({ err: error }, 'Re-indexing after a file change failed');
      }
    });
  };
  const onEvent = (file: string): void => {
    pending.add(path.relative(options.docsDir, file).split(path.sep).join('/'));
    clearTimeout(timer);
    timer = setTimeout(flush, options.debounceMs ?? 400);
  };
  watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent);
  watcher.on('error', (error) => options.logger.error({ err: error }, 'Corpus watcher error'));
  const readyPromise = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready: () => readyPromise,
    async close() {
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}
