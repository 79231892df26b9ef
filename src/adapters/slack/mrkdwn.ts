/**
 * Neutral markdown → Slack mrkdwn, with every piece of echoed text escaped. Slack treats `<…>` as
 * control sequences (`<!channel>`, `<@U…>`, `<url|label>`), so `&`, `<` and `>` from users, models
 * and documents are always escaped; the only real links are those built here from citation urls.
 */

/** Escapes `&`, `<`, `>` (Slack's three control characters) so text renders literally. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A real mrkdwn link `<url|label>` when `url` is http(s), else the escaped label alone. The label
 * is escaped; `|` and `>` in the url are percent-encoded so it cannot close the link early.
 */
export function link(url: string | undefined, label: string): string {
  const safeLabel = escapeText(label).replace(/\|/g, '∣');
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) return safeLabel;
  const safeUrl = url.replace(/[|<>&]/g, (c) => encodeURIComponent(c));
  return `<${safeUrl}|${safeLabel}>`;
}

export interface MrkdwnOptions {
  /**
   * Urls that may become real links when the markdown links to them (the answer's citation urls).
   * A markdown link to any other url is shown as `label (url)`, so nothing can hide where it goes.
   */
  linkableUrls?: ReadonlySet<string>;
}

const SLOT = '\u0000';

/**
 * Converts neutral markdown to mrkdwn: `**b**`/`__b__` → `*b*`, `*i*` → `_i_`, `~~s~~` → `~s~`,
 * `# h` → `*h*`, `- item` → `• item`, `[label](url)` → link (see {@link MrkdwnOptions}), code spans
 * and fences kept. `[n]` citation markers pass through unchanged. All other text is escaped.
 */
export function markdownToMrkdwn(markdown: string, options: MrkdwnOptions = {}): string {
  const kept: string[] = [];
  const keep = (s: string): string => `${SLOT}${kept.push(s) - 1}${SLOT}`;
  let text = markdown.replace(/\r\n?/g, '\n').replace(/\u0000/g, '');

  text = text.replace(/```[^\n]*\n([\s\S]*?)```/g, (_m, body: string) => keep(`\`\`\`${escapeText(body)}\`\`\``));
  text = text.replace(/`([^`\n]+)`/g, (_m, body: string) => keep(`\`${escapeText(body)}\``));
  text = text.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (_m, label: string, url: string) => {
    if (options.linkableUrls?.has(url)) return keep(link(url, label));
    return keep(`${escapeText(label)} (${escapeText(url)})`);
  });

  text = escapeText(text);
  text = text.replace(/^[ \t]*#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm, '**$1**');
  text = text.replace(/^([ \t]*)[-*+][ \t]+/gm, '$1• ');
  text = text.replace(/^&gt;[ \t]?/gm, '> ');
  text = text.replace(/\*\*(?=\S)([^\n]*?\S)\*\*|__(?=\S)([^\n]*?\S)__/g, (_m, a?: string, b?: string) => `\u0001${a ?? b}\u0001`);
  text = text.replace(/(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g, '$1_$2_');
  text = text.replace(/~~(?=\S)([^\n]*?\S)~~/g, '~$1~');
  text = text.replace(/\u0001/g, '*');

  return text.replace(new RegExp(`${SLOT}(\\d+)${SLOT}`, 'g'), (_m, i: string) => kept[Number(i)] ?? '');
}

/**
 * Cuts mrkdwn to at most `max` characters, at a word boundary when one is near, adding `…`. Never
 * leaves half an entity (`&am`) or half a link (`<https://…`).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = safeCut(text, max - 1);
  const space = text.lastIndexOf(' ', cut);
  if (space > cut - 40 && space > 0) cut = safeCut(text, space);
  return `${text.slice(0, cut).trimEnd()}…`;
}

/**
 * Splits mrkdwn into pieces of at most `max` characters, preferring paragraph, then line, then
 * sentence, then word boundaries; never inside an entity or a link. Pieces keep their order.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const limit = safeCut(rest, max);
    let cut = -1;
    for (const sep of ['\n\n', '\n', '. ', ' ']) {
      const at = rest.lastIndexOf(sep, limit - sep.length);
      if (at > max / 3) {
        cut = at + (sep === '. ' ? 1 : 0);
        break;
      }
    }
    cut = cut <= 0 ? limit : safeCut(rest, cut);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length) pieces.push(rest);
  return pieces;
}

/** The largest index ≤ `max` that does not fall inside `&…;` or `<…>`. */
function safeCut(text: string, max: number): number {
  let cut = max;
  const open = text.lastIndexOf('<', cut - 1);
  if (open !== -1 && text.lastIndexOf('>', cut - 1) < open && text.indexOf('>', open) >= cut) cut = open;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp !== -1 && cut - amp < 8 && text.lastIndexOf(';', cut - 1) < amp && /^&[a-z#0-9]+;/.test(text.slice(amp, amp + 10))) cut = amp;
  return Math.max(cut, 1);
}
