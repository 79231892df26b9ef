import type { Answer, Briefing, Citation } from '../../core/types.ts';

/** Plain-terminal rendering of answers and briefings (no colours, so piped output stays clean). */

const CONFIDENCE_LABEL = { high: 'high', medium: 'medium', low: 'low' } as const;

/** Strips the few markdown marks the core uses, for a terminal. */
function plain(markdown: string): string {
  return markdown.replace(/\*\*(.+?)\*\*/g, '$1').replace(/__(.+?)__/g, '$1');
}

function sourceLines(citations: Citation[]): string[] {
  return citations.map((c) => {
    const where = c.url ? ` <${c.url}>` : '';
    return `  [${c.n}] ${c.title} (${c.source})${where}\n      "${c.quote}"`;
  });
}

/** An answer: text, confidence, note, then numbered sources with their quotes. */
export function renderAnswerText(answer: Answer): string {
  const lines = [plain(answer.markdown)];
  const meta = [`confidence: ${CONFIDENCE_LABEL[answer.confidence]}`, answer.mode === 'llm' ? 'written by the model' : 'extractive'];
  lines.push(`(${meta.join(', ')})`);
  if (answer.note) lines.push(`Note: ${answer.note}`);
  if (answer.citations.length) lines.push(answer.found ? 'Sources:' : 'Closest passages:', ...sourceLines(answer.citations));
  return lines.join('\n');
}

/** A briefing: one block per story with sources and disagreements, then ingestion health. */
export function renderBriefingText(briefing: Briefing): string {
  const out: string[] = [`Briefing (${new Date(briefing.generatedAt).toUTCString()})`, ''];
  if (!briefing.stories.length) out.push('Nothing new in the documents since the last briefing.', '');
  briefing.stories.forEach((story, i) => {
    const count = story.sources.length || story.documentIds.length;
    out.push(`${i + 1}. ${story.headline}  [${count} source${count === 1 ? '' : 's'}]`);
    out.push(`   ${plain(story.summary)}`);
    for (const d of story.disagreements) {
      out.push(`   Sources differ: ${d.about} ${d.citations.map((c) => `[${c.n}]`).join(' vs ')}`);
    }
    out.push(...sourceLines(story.citations).map((l) => `  ${l}`), '');
  });
  const { included, skipped } = briefing.documents;
  out.push(`Documents included: ${included}. Skipped: ${skipped.length}.`);
  for (const s of skipped) out.push(`  - ${s.path}: ${s.reason}`);
  return out.join('\n');
}
