import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/core/corpus.ts';
import { inFurniture } from '../../src/core/furniture.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';
import { tempDir } from '../helpers/temp-dir.ts';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function corpus(files: Record<string, string | Buffer>, maxFileBytes?: number) {
  const t = await tempDir();
  cleanup = t.cleanup;
  for (const [rel, content] of Object.entries(files)) await t.write(rel, content);
  const { logger, lines } = recordingLogger();
  const snap = await loadCorpus({ dir: t.dir, logger, maxFileBytes });
  return { ...snap, warnings: lines.filter((l) => l['level'] === 40) };
}

describe('loadCorpus', () => {
  it('reads markdown front matter for title, outlet, date and url', async () => {
    const { documents } = await corpus({
      'news/a.md': '---\ntitle: "Port reopens"\noutlet: Harbour Times\ndate: 2024-05-02\nurl: https://example.com/a\n---\nThe port reopened on Monday.\n\nShips queued overnight.',
    });
    expect(documents).toHaveLength(1);
    const doc = documents[0]!;
    expect(doc.id).toBe('news/a.md');
    expect(doc).toMatchObject({ title: 'Port reopens', source: 'Harbour Times', publishedAt: '2024-05-02', url: 'https://example.com/a' });
    expect(doc.text).toBe('The port reopened on Monday.\n\nShips queued overnight.');
    expect(doc.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes a markdown heading as the title when front matter has none', async () => {
    const { documents } = await corpus({ 'b.md': '# Quarterly notes\n\nRevenue grew by 4 percent.' });
    expect(documents[0]).toMatchObject({ title: 'Quarterly notes', text: 'Revenue grew by 4 percent.' });
  });

  it('uses the first line of a .txt as the title, or derives one from the first sentence when it is prose', async () => {
    const { documents } = await corpus({
      'titled.txt': 'Bridge closed for repairs\n\nThe bridge will be closed until June.',
      'untitled.txt': 'The council approved a new budget on Tuesday after a long debate about schools and roads in the northern district. It passed 7 to 2.',
    });
    const titled = documents.find((d) => d.id === 'titled.txt')!;
    expect(titled.title).toBe('Bridge closed for repairs');
    expect(titled.text).toBe('The bridge will be closed until June.');
    const untitled = documents.find((d) => d.id === 'untitled.txt')!;
    expect(untitled.title.startsWith('The council approved a new budget')).toBe(true);
    expect(untitled.title.length).toBeLessThanOrEqual(101);
    expect(untitled.source).toBe('untitled.txt');
  });

  it('keeps readable HTML text and drops scripts, styles, navigation and footers', async () => {
    const html = `<!doctype html><html><head><title>Storm hits coast</title>
      <meta property="og:site_name" content="Coast News"><link rel="canonical" href="https://coast.example/storm">
      <meta property="article:published_time" content="2024-02-01T08:00:00Z">
      <style>.x{color:red}</style><script>var tracking = "secret";</script></head>
      <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
      <article><h1>Storm hits coast</h1><p>A storm hit the coast on &quot;Thursday&quot;.</p><p>Power was cut to 3,000 homes.</p>
      <figure><img src="a.jpg"><figcaption>Waves at dawn. Photo: J. Doe</figcaption></figure></article>
      <footer>© Coast News. All rights reserved.</footer></body></html>`;
    const { documents } = await corpus({ 'storm.html': html });
    const doc = documents[0]!;
    expect(doc).toMatchObject({ title: 'Storm hits coast', source: 'Coast News', url: 'https://coast.example/storm' });
    expect(doc.publishedAt).toBe('2024-02-01T08:00:00.000Z');
    expect(doc.text).toBe('A storm hit the coast on "Thursday".\n\nPower was cut to 3,000 homes.');
    for (const junk of ['tracking', 'color:red', 'Home', 'World', 'rights reserved', 'Waves at dawn']) {
      expect(doc.text).not.toContain(junk);
    }
  });

  it('skips binary, empty, undecodable, oversized, malformed and unsupported files with one warning each', async () => {
    const { documents, skipped, warnings } = await corpus(
      {
        'good.md': 'Fine text here.',
        'image.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]),
        'empty.txt': '   \n\n ',
        'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72]),
        'huge.txt': 'word '.repeat(400),
        'broken.md': '---\ntitle: [unclosed\n---\nBody.',
        'slides.pdf': 'not really a pdf',
      },
      1000,
    );
    expect(documents.map((d) => d.id)).toEqual(['good.md']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(reasons['image.md']).toMatch(/binary/);
    expect(reasons['empty.txt']).toMatch(/empty/);
    expect(reasons['latin1.txt']).toMatch(/UTF-8/);
    expect(reasons['huge.txt']).toMatch(/too large/);
    expect(reasons['broken.md']).toMatch(/front matter/);
    expect(reasons['slides.pdf']).toMatch(/unsupported/);
    expect(warnings).toHaveLength(6);
    for (const s of skipped) expect(warnings.some((w) => String(w['msg']).includes(s.path))).toBe(true);
  });

  it('ignores hidden files and folders', async () => {
    const { documents, skipped } = await corpus({ '.DS_Store': 'x', '.git/HEAD': 'ref', 'a.txt': 'Hello there.' });
    expect(documents.map((d) => d.id)).toEqual(['a.txt']);
    expect(skipped).toEqual([]);
  });

  it('marks page furniture without removing it from the text', async () => {
    const text = [
      'Officials met in Geneva on Monday to discuss the plan.',
      'A delegate arrives at the venue in Geneva on Monday. Jane Roe / Reuters',
      'Download the Daily Planet app for breaking news',
      'The talks will resume next week, officials said.',
      'Maria Lopez and Ken Ito reported from Geneva.',
      'Source',
      'Leave a Reply',
      'Your email address will not be published. Required fields are marked *',
    ].join('\n\n');
    const { documents } = await corpus({ 'talks.txt': `Talks in Geneva\n\n${text}` });
    const doc = documents[0]!;
    expect(doc.text).toBe(text);
    const marked = (doc.furniture ?? []).map((r) => doc.text.slice(r.start, r.end));
    expect(marked).toEqual([
      'A delegate arrives at the venue in Geneva on Monday. Jane Roe / Reuters',
      'Download the Daily Planet app for breaking news',
      'Maria Lopez and Ken Ito reported from Geneva.',
      'Source',
      'Leave a Reply',
      'Your email address will not be published. Required fields are marked *',
    ]);
    const first = doc.text.indexOf('Officials met');
    expect(inFurniture(doc.furniture, first, first + 10)).toBe(false);
  });

  it('loads the sample corpus with its furniture marked', async () => {
    const { logger } = recordingLogger();
    const { documents, skipped } = await loadCorpus({ dir: new URL('../../docs-corpus', import.meta.url).pathname, logger });
    expect(skipped).toEqual([]);
    expect(documents).toHaveLength(2);
    const nbc = documents.find((d) => d.source === 'NBC News')!;
    expect(nbc.title).toBe('Blinken reportedly offers a comprehensive plan to strengthen Afghan peace');
    const furniture = (nbc.furniture ?? []).map((r) => nbc.text.slice(r.start, r.end));
    expect(furniture.some((f) => f.startsWith('Download the NBC News app'))).toBe(true);
    expect(furniture.some((f) => f.endsWith('Reuters'))).toBe(true);
    expect(furniture.at(-1)).toBe('Source');
  });
});
