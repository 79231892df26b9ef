import type { AnyNode, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { isoDate, normaliseText, type ParsedFile } from './parsed.ts';

/** Elements whose content is never readable article text. */
const DROP = new Set([
  'script', 'style', 'noscript', 'template', 'nav', 'header', 'footer', 'aside', 'form', 'iframe', 'svg', 'canvas',
  'button', 'select', 'input', 'textarea', 'label', 'figcaption', 'menu', 'dialog', 'object', 'embed', 'video', 'audio',
]);
/** Roles and class/id words that mark navigation, promos and other page chrome. */
const CHROME_ROLE = /^(navigation|banner|contentinfo|complementary|search|dialog|menu|menubar)$/;
const CHROME_CLASS = /(^|[\s_-])(nav|navbar|menu|breadcrumbs?|share|sharing|social|comments?|footer|cookie|consent|newsletter|related|advert|ads?|promo|sidebar|subscribe|paywall)([\s_-]|$)/i;
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'blockquote', 'pre',
  'table', 'tr', 'dl', 'dt', 'dd', 'figure', 'address', 'hr', 'body',
]);

/**
 * HTML page → readable text: the `<article>` (or `<main>`, or `<body>`) with scripts, styles,
 * navigation, headers, footers, forms and chrome-classed blocks dropped; block elements become
 * paragraphs. Title from `og:title`, `<title>` or the first `<h1>`; outlet from `og:site_name`; URL
 * from the canonical link; date from `article:published_time` or the first `<time datetime>`.
 */
export function parseHtml(raw: string): ParsedFile {
  const dom = parseDocument(raw, { decodeEntities: true, lowerCaseTags: true });
  const all = flatten(dom.children);
  const meta = (key: string): string | undefined => {
    for (const el of all) {
      if (el.name !== 'meta') continue;
      const k = el.attribs['property'] ?? el.attribs['name'] ?? el.attribs['itemprop'];
      if (k?.toLowerCase() === key && el.attribs['content']?.trim()) return el.attribs['content'].trim();
    }
    return undefined;
  };
  const first = (name: string): Element | undefined => all.find((el) => el.name === name);
  const titleEl = first('title');
  const h1 = first('h1');
  const title = clean(meta('og:title') ?? (titleEl ? textOf(titleEl) : '') ?? '') || (h1 ? clean(textOf(h1)) : '') || undefined;
  const canonical = all.find((el) => el.name === 'link' && el.attribs['rel']?.toLowerCase() === 'canonical')?.attribs['href'];
  const time = first('time')?.attribs['datetime'];

  const root = first('article') ?? first('main') ?? first('body') ?? dom;
  const blocks: string[] = [];
  let current = '';
  const flush = (): void => {
    const t = clean(current);
    if (t) blocks.push(t);
    current = '';
  };
  const walk = (nodes: AnyNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'text') {
        current += (node as unknown as { data: string }).data;
      } else if (isElement(node)) {
        if (isChrome(node)) continue;
        if (node.name === 'br') {
          current += ' ';
          continue;
        }
        const block = BLOCK.has(node.name);
        if (block) flush();
        walk(node.children);
        if (block) flush();
      }
    }
  };
  walk('children' in root ? root.children : []);
  flush();
  if (title && blocks[0] && clean(blocks[0]) === title) blocks.shift();

  return {
    text: normaliseText(blocks.join('\n\n')),
    title,
    source: meta('og:site_name') ?? meta('publisher') ?? meta('application-name'),
    url: meta('og:url') ?? canonical ?? undefined,
    publishedAt: isoDate(meta('article:published_time') ?? meta('date') ?? meta('datepublished') ?? time),
  };
}

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

function isChrome(el: Element): boolean {
  if (DROP.has(el.name)) return true;
  if (el.attribs['hidden'] !== undefined || el.attribs['aria-hidden'] === 'true') return true;
  const role = el.attribs['role'];
  if (role && CHROME_ROLE.test(role)) return true;
  const cls = `${el.attribs['class'] ?? ''} ${el.attribs['id'] ?? ''}`;
  return el.name !== 'article' && el.name !== 'main' && el.name !== 'body' && CHROME_CLASS.test(cls);
}

function flatten(nodes: AnyNode[], out: Element[] = []): Element[] {
  for (const n of nodes) {
    if (isElement(n)) {
      out.push(n);
      flatten(n.children, out);
    }
  }
  return out;
}

function textOf(el: Element): string {
  let s = '';
  for (const c of el.children) {
    if (c.type === 'text') s += (c as unknown as { data: string }).data;
    else if (isElement(c)) s += textOf(c);
  }
  return s;
}

function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
