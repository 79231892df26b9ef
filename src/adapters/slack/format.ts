import type { types } from '@slack/bolt';
import type { Answer, Briefing, Citation, Story } from '../../core/types.ts';
import { encodeFeedbackValue } from './feedback-value.ts';
import { escapeText, link, markdownToMrkdwn, splitText, truncate } from './mrkdwn.ts';

type KnownBlock = types.KnownBlock;

/** Slack's message limits, plus our own cap on the text carried by one message's blocks. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  contextElements: 10,
  headerText: 150,
  /** `text` must stay under 4000 characters. */
  messageText: 3900,
  /** Not a Slack limit: keeps each message readable and far from `msg_too_long`. */
  blockTextPerMessage: 12_000,
} as const;

/** One Slack message: blocks plus the fallback `text` used by notifications and old clients. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** `action_id`s of the feedback buttons. */
export const FEEDBACK_ACTIONS = { up: 'briefbot_feedback_up', down: 'briefbot_feedback_down' } as const;

/** Options for {@link renderAnswer}. */
export interface RenderAnswerOptions {
  /** Add 👍/👎 buttons under the answer; default true. */
  feedback?: boolean;
}

/**
 * Renders an answer as one or more messages (to be posted in order in one thread): the answer in
 * mrkdwn sections (a "not found" notice first when `found` is false), the note, numbered sources
 * with titles, links where the citation has a url and the quoted sentence, the confidence, and
 * the feedback buttons at the end of the last message. Every message is within {@link SLACK_LIMITS}.
 */
export function renderAnswer(answer: Answer, options: RenderAnswerOptions = {}): SlackMessage[] {
  const urls = new Set(answer.citations.flatMap((c) => (c.url ? [c.url] : [])));
  const blocks: KnownBlock[] = [];
  if (!answer.found) blocks.push(context([':grey_question: *Not found in the documents.*']));
  blocks.push(...sections(markdownToMrkdwn(answer.markdown, { linkableUrls: urls }) || '_(empty answer)_'));
  if (answer.note) blocks.push(context([`:information_source: ${escapeText(answer.note)}`]));
  if (answer.citations.length) {
    blocks.push({ type: 'divider' }, section('*Sources*'));
    for (const c of answer.citations) blocks.push(section(citationLine(c, true)));
  }
  const how = answer.mode === 'llm' ? 'written by the model from the documents' : 'quoted from the documents';
  blocks.push(context([`Confidence: *${answer.confidence}* · ${how}`]));
  const tail: KnownBlock[] = options.feedback === false ? [] : [feedbackButtons(answer)];
  return pack(blocks, tail);
}

/**
 * Renders a briefing: a header, then per story its headline, "N sources", summary, disagreements
 * (what differs, with the citations on each side) and sources; a footer reports ingestion health
 * (documents included, files skipped and why). Split into as many messages as the limits need.
 */
export function renderBriefing(briefing: Briefing): SlackMessage[] {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncatePlain(`Daily briefing — ${dateOf(briefing.generatedAt)}`, SLACK_LIMITS.headerText), emoji: true } },
  ];
  if (!briefing.stories.length) blocks.push(section('No new stories since the last briefing.'));
  briefing.stories.forEach((story, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    blocks.push(...storyBlocks(story));
  });
  const { included, skipped } = briefing.documents;
  const footer = [`:page_facing_up: ${included} document${included === 1 ? '' : 's'} included`];
  if (skipped.length) {
    const list = skipped.map((s) => `${escapeText(s.path)} (${escapeText(s.reason)})`).join('; ');
    footer.push(`:warning: ${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped: ${list}`);
  }
  footer.push(briefing.mode === 'llm' ? 'Summaries written by the model' : 'Summaries quoted from the documents');
  return pack(blocks, [context(footer)]);
}

/** The message shown while an answer is being prepared. */
export function renderPlaceholder(): SlackMessage {
  return { text: 'Looking through the documents…', blocks: [context([':mag: Looking through the documents…'])] };
}

/** The answer so far while a model streams (one message; the full answer replaces it). */
export function renderPartial(markdownSoFar: string): SlackMessage {
  const body = truncate(markdownToMrkdwn(markdownSoFar), SLACK_LIMITS.sectionText);
  return { text: truncate(body, SLACK_LIMITS.messageText), blocks: [section(body || '…'), context([':hourglass_flowing_sand: Writing…'])] };
}

/** One friendly line (errors, usage, confirmations), escaped. */
export function renderLine(line: string, emoji = ''): SlackMessage {
  const text = `${emoji ? `${emoji} ` : ''}${escapeText(line)}`;
  return { text: truncate(text, SLACK_LIMITS.messageText), blocks: [section(truncate(text, SLACK_LIMITS.sectionText))] };
}

function storyBlocks(story: Story): KnownBlock[] {
  const urls = new Set(story.citations.flatMap((c) => (c.url ? [c.url] : [])));
  const n = story.sources.length;
  const blocks: KnownBlock[] = [
    section(`*${escapeText(story.headline)}*`),
    context([`${n} source${n === 1 ? '' : 's'}${n ? `: ${story.sources.map(escapeText).join(', ')}` : ''}`]),
    ...sections(markdownToMrkdwn(story.summary, { linkableUrls: urls })),
  ];
  for (const d of story.disagreements) {
    const sides = d.citations.map((c) => `• ${citationLine(c, true)}`).join('\n');
    blocks.push(...sections(`:warning: *Sources differ:* ${escapeText(d.about)}\n${sides}`));
  }
  if (story.citations.length) blocks.push(...sections(story.citations.map((c) => citationLine(c, false)).join('\n')));
  return blocks;
}

/** `*[n]* <url|Title> · Source` and, with `withQuote`, the quoted sentence on the next lines. */
function citationLine(c: Citation, withQuote: boolean): string {
  const head = `*[${c.n}]* ${link(c.url, c.title || c.documentId)} · ${escapeText(c.source)}`;
  if (!withQuote || !c.quote.trim()) return truncate(head, SLACK_LIMITS.sectionText);
  const quote = truncate(escapeText(c.quote.trim().replace(/\s*\n\s*/g, ' ')), 1200);
  return truncate(`${head}\n> ${quote}`, SLACK_LIMITS.sectionText);
}

function feedbackButtons(answer: Answer): KnownBlock {
  const value = encodeFeedbackValue(answer);
  return {
    type: 'actions',
    block_id: 'briefbot_feedback',
    elements: [
      { type: 'button', action_id: FEEDBACK_ACTIONS.up, text: { type: 'plain_text', text: '👍 Helpful', emoji: true }, value },
      { type: 'button', action_id: FEEDBACK_ACTIONS.down, text: { type: 'plain_text', text: '👎 Not helpful', emoji: true }, value },
    ],
  };
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } };
}

function sections(text: string): KnownBlock[] {
  return splitText(text, SLACK_LIMITS.sectionText).map(section);
}

function context(texts: string[]): KnownBlock {
  const elements = texts.slice(0, SLACK_LIMITS.contextElements).map((t) => ({ type: 'mrkdwn' as const, text: truncate(t, SLACK_LIMITS.sectionText) }));
  return { type: 'context', elements };
}

/** Packs blocks into messages within the limits; `tail` always ends the last message. */
function pack(blocks: KnownBlock[], tail: KnownBlock[]): SlackMessage[] {
  const groups: KnownBlock[][] = [[]];
  let chars = 0;
  const add = (block: KnownBlock): void => {
    const size = blockText(block).length;
    const current = groups[groups.length - 1]!;
    if (current.length && (current.length + 1 > SLACK_LIMITS.blocksPerMessage || chars + size > SLACK_LIMITS.blockTextPerMessage)) {
      groups.push([block]);
      chars = size;
    } else {
      current.push(block);
      chars += size;
    }
  };
  for (const block of blocks) add(block);
  for (const block of tail) add(block);
  return groups.map((group) => ({ blocks: group, text: fallbackText(group) }));
}

function fallbackText(blocks: KnownBlock[]): string {
  const text = blocks.map(blockText).filter(Boolean).join('\n');
  return truncate(text, SLACK_LIMITS.messageText) || ' ';
}

function blockText(block: KnownBlock): string {
  if (block.type === 'section' || block.type === 'header') return block.text?.text ?? '';
  if (block.type === 'context') return block.elements.map((e) => ('text' in e && typeof e.text === 'string' ? e.text : '')).join(' · ');
  return '';
}

function truncatePlain(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function dateOf(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 10);
}
