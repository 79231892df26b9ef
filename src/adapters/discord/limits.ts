/**
 * Discord's message limits and the splitting that keeps every message within them. Breaking any
 * limit is a 400 from Discord, so everything the adapter sends is built through these helpers.
 * Lengths are UTF-16 code units (`string.length`), which is never less than what Discord counts.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';

/** The limits Discord enforces on one message (https://discord.com/developers/docs/resources/message). */
export const LIMITS = {
  /** `content` characters. */
  content: 2000,
  /** Embeds per message. */
  embeds: 10,
  /** Sum of title, description, field names and values, footer text and author name over all embeds. */
  embedTotal: 6000,
  /** Embed description characters. */
  description: 4096,
  /** Embed title characters. */
  title: 256,
  /** Fields per embed. */
  fields: 25,
  /** Field name characters. */
  fieldName: 256,
  /** Field value characters. */
  fieldValue: 1024,
  /** Footer text characters (Discord allows 2048; we keep 1024 so one embed always fits in 6000). */
  footer: 1024,
  /** Action rows per message (they do not count towards {@link LIMITS.embedTotal}). */
  actionRows: 5,
} as const;

/** One message to send: optional content, up to {@link LIMITS.embeds} embeds and optional action rows. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  /** At most {@link LIMITS.actionRows} action rows (e.g. the feedback buttons under an answer). */
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** True for the first half of a UTF-16 surrogate pair (never cut after it). */
function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts `text` to at most `max` characters, ending with `…` when something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** Where to cut `text` so the first piece has at most `max` characters; prefers natural breaks. */
function findCut(text: string, max: number): number {
  const minimum = Math.floor(max / 2);
  for (const separator of ['\n\n', '\n', '. ', ' ']) {
    // For '. ' the period stays with the first piece, so the cut is one further along.
    const keep = separator === '. ' ? 1 : 0;
    const at = text.lastIndexOf(separator, max - keep);
    if (at > minimum) return at + keep;
  }
  return isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
}

/**
 * Splits `text` into pieces of at most `max` characters, cutting at paragraph, line, sentence or
 * word boundaries when one lies in the second half of the window, else mid-word. Only the
 * whitespace at each cut is dropped: joining the pieces with a space gives back every word.
 * Returns `[]` for blank text.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const cut = findCut(rest, max);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * Joins blocks (paragraphs, list entries) with a blank line into as few pieces of at most `max`
 * characters as possible, in order. A block too long for one piece is split with {@link splitText}.
 */
export function packBlocks(blocks: string[], max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const block of blocks.map((b) => b.trim()).filter(Boolean)) {
    const joined = current ? `${current}\n\n${block}` : block;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    if (current) pieces.push(current);
    if (block.length <= max) {
      current = block;
    } else {
      const parts = splitText(block, max);
      current = parts.pop() ?? '';
      pieces.push(...parts);
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/** The characters of an embed that count towards {@link LIMITS.embedTotal}. */
export function embedLength(embed: APIEmbed): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  n += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) n += field.name.length + field.value.length;
  return n;
}

/**
 * Groups content and embeds into messages that each respect every limit, in order. Content longer
 * than {@link LIMITS.content} becomes several messages; the embeds follow the last content piece,
 * at most {@link LIMITS.embeds} and {@link LIMITS.embedTotal} characters per message. Each embed
 * must already respect its own limits (see {@link textEmbeds}). Returns at least one message when
 * there is anything to send.
 */
export function packMessages(content: string | undefined, embeds: APIEmbed[]): DiscordMessage[] {
  const messages: DiscordMessage[] = splitText(content ?? '', LIMITS.content).map((c) => ({ content: c, embeds: [] }));
  let current = messages.pop() ?? { embeds: [] };
  let total = 0;
  for (const embed of embeds) {
    const size = embedLength(embed);
    if (current.embeds.length > 0 && (current.embeds.length >= LIMITS.embeds || total + size > LIMITS.embedTotal)) {
      messages.push(current);
      current = { embeds: [] };
      total = 0;
    }
    current.embeds.push(embed);
    total += size;
  }
  if (current.content || current.embeds.length) messages.push(current);
  return messages;
}

/** Options for {@link textEmbeds}. */
export interface TextEmbedOptions {
  /** Title of the first embed (truncated to {@link LIMITS.title}). */
  title?: string;
  /** Sidebar colour of every embed. */
  color?: number;
  /** Link of the first embed's title. */
  url?: string;
}

/**
 * Turns blocks of description text into as many embeds as needed, each description within
 * {@link LIMITS.description}. Only the first embed carries the title; the rest continue it.
 */
export function textEmbeds(blocks: string[], options: TextEmbedOptions = {}): APIEmbed[] {
  return packBlocks(blocks, LIMITS.description).map((description, i) => {
    const embed: APIEmbed = { description };
    if (i === 0 && options.title) embed.title = truncate(options.title, LIMITS.title);
    if (i === 0 && options.url) embed.url = options.url;
    if (options.color !== undefined) embed.color = options.color;
    return embed;
  });
}
