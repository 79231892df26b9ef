/**
 * Recovers what a feedback vote is about from the clicked message itself, for clicks this process
 * does not remember (after a restart, or once the answer left the bounded memory). The result is
 * what the message shows, read back from the embeds that `format.ts` rendered:
 * - question: the answer embed's title (at most 256 characters), else the one carried by the
 *   button's custom id (at most about 80), else empty;
 * - answer: the answer text as displayed (Discord markdown; for an answer split over several
 *   messages only the part in the clicked, last message);
 * - citations: number, title, source, link and quote of each listed source; passage and document
 *   ids are not shown and so are empty strings.
 */
import type { APIEmbed } from 'discord.js';
import type { Citation } from '../../core/types.ts';

/** What a vote can be about, as recovered. */
export interface RecoveredAnswer {
  question: string;
  answer: string;
  citations: Citation[];
}

const SOURCES_TITLE = /^(?:Sources|Closest passages) \(\d+\)$/;
const CITATION_START = /^\*\*\[(\d+)\]\*\* /;

/** Undoes `escapeMarkdown` and the bracket escaping of `format.ts`. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([^A-Za-z0-9\s])/g, '$1');
}

/** Reads one `citationBlock` back: `**[n]** [Title](<url>) — *Source*` then `> quote` lines. */
export function parseCitationBlock(block: string): Citation | undefined {
  const [head = '', ...rest] = block.split('\n');
  const start = CITATION_START.exec(head);
  if (!start) return undefined;
  const n = Number(start[1]);
  const line = head.slice(start[0].length);
  // The title ends before the last " — *Source*" (titles and sources are escaped, so `*` inside is `\*`).
  const sourced = /^(.*?) — \*((?:\\.|[^*\\])*)\*$/.exec(line);
  const titled = sourced?.[1] ?? line;
  const linked = /^\[((?:\\.|[^\]\\])*)\]\(<([^>]*)>\)$/.exec(titled);
  const bold = /^\*\*((?:\\.|[^*\\])*)\*\*$/.exec(titled);
  const title = unescapeMarkdown(linked?.[1] ?? bold?.[1] ?? titled);
  const quote = rest
    .filter((l) => l.startsWith('> ') || l === '>')
    .map((l) => unescapeMarkdown(l.slice(2)))
    .join('\n');
  const citation: Citation = {
    n,
    passageId: '',
    documentId: '',
    title,
    source: sourced?.[2] !== undefined ? unescapeMarkdown(sourced[2]) : title,
    quote,
  };
  if (linked?.[2]) citation.url = linked[2];
  return citation;
}

/**
 * Reads question, answer and citations back from the embeds of an answer message. `idQuestion`
 * is the question carried by the button's custom id (possibly clipped with `…`).
 */
export function recoverAnswer(embeds: readonly APIEmbed[], idQuestion: string): RecoveredAnswer {
  const answerParts: string[] = [];
  const sourceParts: string[] = [];
  let title: string | undefined;
  let inSources = false;
  for (const embed of embeds) {
    const description = embed.description ?? '';
    if ((embed.title && SOURCES_TITLE.test(embed.title)) || (!embed.title && CITATION_START.test(description))) inSources = true;
    if (inSources) {
      sourceParts.push(description);
      continue;
    }
    if (embed.title && title === undefined) title = embed.title;
    if (description && description !== '…') answerParts.push(description);
  }
  const citations = sourceParts
    .join('\n\n')
    .split(/\n\n(?=\*\*\[\d+\]\*\* )/)
    .map(parseCitationBlock)
    .filter((c): c is Citation => c !== undefined);
  // A title is the question unless it is the "Answer" placeholder of an empty question.
  const fromTitle = title && title !== 'Answer' ? title : undefined;
  const clipped = idQuestion.endsWith('…') ? idQuestion.slice(0, -1) : idQuestion;
  const question = fromTitle && (fromTitle.replace(/\s+/g, ' ').startsWith(clipped) || !idQuestion) ? fromTitle : idQuestion;
  return { question, answer: answerParts.join('\n\n'), citations };
}
