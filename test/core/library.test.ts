import { afterEach, describe, expect, it } from 'vitest';
import { watchCorpus } from '../../src/core/corpus-watcher.ts';
import { createLibrary } from '../../src/core/library.ts';
import { silentLogger } from '../../src/logger.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fixture() {
  const docs = await tempDir('briefbot-docs-');
  const data = await tempDir('briefbot-data-');
  cleanups.push(docs.cleanup, data.cleanup);
  await docs.write('ferry.md', '# Ferry timetable\n\nThe ferry to Lund leaves at 09:15 every weekday.');
  await docs.write('bridge.txt', 'Bridge works\n\nThe Lund bridge closes for repairs in June.');
  return { docs, data };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('library', () => {
  it('persists the index and reuses it when the corpus has not changed', async () => {
    const { docs, data } = await fixture();
    const first = await createLibrary({ docsDir: docs.dir, dataDir: data.dir, logger: silentLogger() });
    const r1 = await first.refresh();
    expect(r1.added.sort()).toEqual(['bridge.txt', 'ferry.md']);
    expect(r1.reusedIndex).toBe(false);

    const second = await createLibrary({ docsDir: docs.dir, dataDir: data.dir, logger: silentLogger() });
    const r2 = await second.refresh();
    expect(r2).toMatchObject({ added: [], changed: [], removed: [], unchanged: 2, reusedIndex: true });
    expect((await second.index.search('ferry Lund weekday'))[0]?.passage.documentId).toBe('ferry.md');

    await docs.write('bridge.txt', 'Bridge works\n\nThe Lund bridge now closes in July.');
    const third = await createLibrary({ docsDir: docs.dir, dataDir: data.dir, logger: silentLogger() });
    const r3 = await third.refresh();
    expect(r3).toMatchObject({ changed: ['bridge.txt'], unchanged: 1, reusedIndex: true });
    expect((await third.index.search('bridge July'))[0]?.passage.text).toContain('July');
  });

  it('re-indexes files added, changed and removed while watching, without a restart', async () => {
    const { docs, data } = await fixture();
    const library = await createLibrary({ docsDir: docs.dir, dataDir: data.dir, logger: silentLogger() });
    await library.refresh();
    const applied: string[][] = [];
    const watcher = watchCorpus({ library, docsDir: docs.dir, logger: silentLogger(), debounceMs: 100, onApplied: (c) => applied.push(c) });
    cleanups.push(() => watcher.close());
    await watcher.ready();

    expect(await library.index.search('airship zeppelin hangar')).toEqual([]);
    await docs.write('news/airship.md', '# Airship returns\n\nA zeppelin airship landed at the old hangar on Friday.');
    await until(async () => (await library.index.search('airship zeppelin hangar')).length > 0);
    expect(library.document('news/airship.md')?.title).toBe('Airship returns');
    expect(applied.flat()).toEqual(['news/airship.md']);

    await docs.write('ferry.md', '# Ferry timetable\n\nThe ferry to Lund now leaves at 10:40.');
    await until(async () => (await library.index.search('ferry Lund'))[0]?.passage.text.includes('10:40') ?? false);

    const { rm } = await import('node:fs/promises');
    await rm(`${docs.dir}/bridge.txt`);
    await until(() => library.document('bridge.txt') === undefined);
    expect(await library.index.search('bridge repairs')).toEqual([]);
  });
});
