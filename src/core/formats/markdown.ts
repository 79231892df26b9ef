import { parse as parseYaml } from 'yaml';
import { isoDate, MalformedFileError, normaliseText, type ParsedFile } from './parsed.ts';

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Markdown with optional YAML front matter. Recognised keys: `title`, `outlet` | `source` |
 * `publisher`, `url` | `link`, `date` | `published` | `publishedAt`. Without a front-matter title
 * the first `# heading` is the title (and is removed from the body).
 */
export function parseMarkdown(raw: string): ParsedFile {
  let body = raw;
  let meta: Record<string, unknown> = {};
  const fm = FRONT_MATTER.exec(raw);
  if (fm) {
    try {
      const parsed: unknown = parseYaml(fm[1] ?? '');
      if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
        throw new Error('front matter is not a key: value map');
      }
      meta = (parsed ?? {}) as Record<string, unknown>;
    } catch (cause) {
      throw new MalformedFileError(`invalid YAML front matter (${(cause as Error).message.split('\n')[0]})`, { cause });
    }
    body = raw.slice(fm[0].length);
  }
  const str = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = meta[k];
      if (typeof v === 'string' && v.trim()) return v.trim();
    }
    return undefined;
  };
  let title = str('title');
  if (!title) {
    const heading = /^\s*#\s+(.+?)\s*#*\s*$/m.exec(body);
    if (heading && body.slice(0, heading.index).trim() === '') {
      title = heading[1];
      body = body.slice(heading.index + heading[0].length);
    }
  }
  return {
    text: normaliseText(body),
    title,
    source: str('outlet', 'source', 'publisher', 'site'),
    url: str('url', 'link', 'canonical'),
    publishedAt: isoDate(meta['date'] ?? meta['published'] ?? meta['publishedAt'] ?? meta['published_at']),
  };
}
