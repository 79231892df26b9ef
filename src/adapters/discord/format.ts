/**
 * Renders the core's neutral markdown results (answers, briefings, source lists) as Discord
 * messages with embeds, split to Discord's limits. Pure: no client, no I/O.
 */
import { type APIEmbed, escapeMarkdown } from 'discord.js';
import type { Answer, Briefing, Citation, Story } from '../../core/types.ts';
import { type DiscordMessage, LIMITS, packMessages, splitText, textEmbeds, truncate } from './limits.ts';

/** Sidebar colours. */
const COLOR = { found: 0x5865f2, notFound: 0x99aab5, story: 0x2b8a3e, health: 0x868e96 } as const;

/** Escapes document text so it cannot form markdown, headings, lists or masked links (`[text](url)`). */
function escapeText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true }).replace(/[[\]]/g, '\\$&');
}

/** The link target for a citation, when it is an http(s) URL; parentheses encoded so `[t](<u>)` holds. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/</g, '%3C').replace(/>/g, '%3E');
  } catch {
    return undefined;
  }
}

/**
 * Adapts the core's neutral markdown to what Discord renders: headings become bold lines (embeds
 * do not render them) and links become `text (<url>)`, so a model cannot hide a link behind text.
 * `[n]` citation markers are kept as they are.
 */
export function toDiscordMarkdown(markdown: string): string {
  return markdown
    .replace(/^#{1,6}\s+(.+?)\s*#*$/gm, '**$1**')
    .replace(/\[([^\]\n]+)\]\((<?)([^()\s<>]+)(>?)\)/g, (_m, text: string, _o, url: string) => `${text} (<${url}>)`);
}

/** `**[n]** [Title](<url>) — Source` followed by the quote as a block quote. */
export function citationBlock(citation: Citation): string {
  const title = escapeText(truncate(citation.title || citation.documentId, 200));
  const url = safeUrl(citation.url);
  const titled = url ? `[${title}](<${url}>)` : `**${title}**`;
  const source = citation.source && citation.source !== citation.title ? ` — *${escapeText(citation.source)}*` : '';
  const quote = citation.quote.trim()
    ? `\n${escapeText(citation.quote.trim())
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')}`
    : '';
  return `**[${citation.n}]** ${titled}${source}${quote}`;
}

/** The footer line of an answer: note, confidence and how it was produced. */
function answerFooter(answer: Answer): string {
  const parts = [
    answer.note,
    `Confidence: ${answer.confidence}`,
    answer.mode === 'llm' ? 'written by a model from the quoted passages' : 'quoted from the documents',
  ];
  return truncate(parts.filter(Boolean).join(' · '), LIMITS.footer);
}

/**
 * An answer: the text (title = the question), then a numbered "Sources" list with links and the
 * quoted sentence per citation; note and confidence in the last embed's footer. `found: false`
 * is shown plainly (grey), its citations listed as "Closest passages". Split across as many
 * messages as the limits require.
 */
export function renderAnswer(answer: Answer): DiscordMessage[] {
  const color = answer.found ? COLOR.found : COLOR.notFound;
  const embeds = textEmbeds([toDiscordMarkdown(answer.markdown)], { title: answer.question || 'Answer', color });
  if (embeds.length === 0) embeds.push({ title: truncate(answer.question || 'Answer', LIMITS.title), color, description: '…' });
  if (answer.citations.length > 0) {
    const blocks = [...answer.citations].sort((a, b) => a.n - b.n).map(citationBlock);
    const title = `${answer.found ? 'Sources' : 'Closest passages'} (${answer.citations.length})`;
    embeds.push(...textEmbeds(blocks, { title, color }));
  }
  const last = embeds[embeds.length - 1];
  if (last) last.footer = { text: answerFooter(answer) };
  return packMessages(undefined, embeds);
}

/** The blocks of one story: source count, summary, disagreements, then its numbered sources. */
function storyBlocks(story: Story): string[] {
  const count = story.sources.length;
  const outlets = story.sources.map(escapeText).join(', ');
  const blocks = [`*${count} ${count === 1 ? 'source' : 'sources'}${outlets ? `: ${outlets}` : ''}*`];
  blocks.push(toDiscordMarkdown(story.summary));
  for (const disagreement of story.disagreements) {
    const sides = disagreement.citations
      .map((c) => `**[${c.n}]** ${escapeText(c.source || c.title)}: “${escapeText(c.quote.trim())}”`)
      .join('\n');
    blocks.push(`⚠️ **Sources disagree** — ${escapeText(disagreement.about)}\n${sides}`);
  }
  blocks.push(...[...story.citations].sort((a, b) => a.n - b.n).map(citationBlock));
  return blocks;
}

/** The ingestion-health blocks: documents included and every skipped file with its reason. */
function healthBlocks(briefing: Briefing): string[] {
  const { included, skipped } = briefing.documents;
  const blocks = [`${included} ${included === 1 ? 'document' : 'documents'} included.`];
  if (skipped.length > 0) {
    blocks.push(`${skipped.length} ${skipped.length === 1 ? 'file was' : 'files were'} skipped:`);
    blocks.push(...skipped.map((s) => `• \`${s.path.replace(/`/g, "'")}\` — ${escapeText(s.reason)}`));
  }
  return [blocks.join('\n')];
}

/**
 * A briefing: one embed per story (headline as title, "N sources", summary, disagreements with both
 * citations, the story's sources), then an "Ingestion" embed with document health, time-stamped
 * with `generatedAt`. `message` (a `/brief` confirmation) or a one-line header goes in the content.
 */
export function renderBriefing(briefing: Briefing, message?: string): DiscordMessage[] {
  const embeds: APIEmbed[] = [];
  for (const story of briefing.stories) {
    embeds.push(...textEmbeds(storyBlocks(story), { title: story.headline || 'Story', color: COLOR.story }));
  }
  if (briefing.stories.length === 0) {
    embeds.push({ description: 'No new stories since the last briefing.', color: COLOR.notFound });
  }
  const health = textEmbeds(healthBlocks(briefing), { title: 'Ingestion', color: COLOR.health });
  const last = health[health.length - 1];
  if (last && !Number.isNaN(Date.parse(briefing.generatedAt))) {
    last.timestamp = new Date(briefing.generatedAt).toISOString();
  }
  embeds.push(...health);
  const n = briefing.stories.length;
  const header = message ?? `**Briefing** — ${n} ${n === 1 ? 'story' : 'stories'}`;
  return packMessages(header, embeds);
}

/** `/sources`: the passages best matching `query`, numbered with titles, links and quotes; no answer. */
export function renderSources(query: string, citations: Citation[]): DiscordMessage[] {
  const title = `Sources for “${query}”`;
  if (citations.length === 0) {
    return packMessages(undefined, [{ title: truncate(title, LIMITS.title), description: 'No passage matches that query.', color: COLOR.notFound }]);
  }
  return packMessages(undefined, textEmbeds(citations.map(citationBlock), { title, color: COLOR.found }));
}

/** A plain line (status, confirmation, error) as content, split when long. */
export function renderNotice(text: string): DiscordMessage[] {
  return packMessages(text.trim() || '…', []);
}

/**
 * The embed shown while a model streams: the text so far (its last part when it no longer fits)
 * and a "writing" footer. Always within one embed's limits.
 */
export function renderPartial(markdownSoFar: string): APIEmbed {
  const text = toDiscordMarkdown(markdownSoFar).trim() || '…';
  const max = LIMITS.description;
  const description = text.length <= max ? text : `…${splitText(text.slice(text.length - (max - 1)), max)[0] ?? ''}`;
  return { description, color: COLOR.found, footer: { text: 'Writing… (sources follow when done)' } };
}
