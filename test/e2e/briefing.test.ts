// The offline briefing end to end: loadConfig → createCore on the sample corpus (no model configured),
// `briefings.build(undefined, { all: true })`, then posted with the real Slack adapter's `post()` to a
// local stand-in for the Slack Web API, as the scheduler does for BRIEFING_SLACK_CHANNELS.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../src/adapters/slack/app.ts';
import { escapeText } from '../../src/adapters/slack/mrkdwn.ts';
import type { Briefing, Citation } from '../../src/core/types.ts';
import { type FakeSlackApi, type SlackCall, startFakeSlackApi } from '../adapters/slack/fake-slack-api.ts';
import { allText } from '../adapters/slack/support.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { citationProblems, citedPassage, type E2eCore, SAMPLE_CORPUS, startCore } from './helpers/core.ts';

const TXT = 'blinken-power-sharing-letter.txt';
const MD = 'nbc-news-blinken-afghan-peace-plan.md';
const CHANNEL = 'C0BRIEFING1';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function core(env: Record<string, string> = {}): Promise<E2eCore> {
  const e2e = await startCore(env);
  cleanups.push(() => e2e.close());
  return e2e;
}

/** Posts a briefing through the real Slack adapter (no start needed: post is Web API only). */
async function postToSlack(e2e: E2eCore, briefing: Briefing): Promise<SlackCall[]> {
  const slack: FakeSlackApi = await startFakeSlackApi();
  cleanups.push(() => slack.close());
  const adapter = createSlackAdapter({ botToken: 'xoxb-e2e-brief-token', signingSecret: 'unused', apiUrl: slack.apiUrl, logger: e2e.core.logger });
  const posted = await adapter.post(adapter.channelRef(CHANNEL), briefing);
  const calls = slack.of('chat.postMessage');
  expect(posted.messageId).toBe('1700000000.000001'); // the fake's first ts: the briefing's first message
  expect(posted.conversation).toEqual({ platform: 'slack', id: `${CHANNEL}:1700000000.000001` });
  return calls;
}

/** Every way a posted message could break Slack's limits; empty when it is within them. */
function slackLimitProblems(call: SlackCall): string[] {
  const problems: string[] = [];
  const text = String(call.params.text ?? '');
  if (!text.trim()) problems.push('no fallback text');
  if (text.length >= 4000) problems.push(`text ${text.length}`);
  // biome-ignore lint/suspicious/noExplicitAny: raw Block Kit JSON
  const blocks = call.params.blocks as Array<Record<string, any>>;
  if (!Array.isArray(blocks) || blocks.length === 0) return [...problems, 'no blocks'];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks`);
  for (const b of blocks) {
    if (b.type === 'section' && (b.text?.text ?? '').length > 3000) problems.push(`section ${b.text.text.length}`);
    if (b.type === 'header' && (b.text?.text ?? '').length > 150) problems.push(`header ${b.text.text.length}`);
    if (b.type === 'context' && b.elements.length > 10) problems.push(`context ${b.elements.length} elements`);
  }
  return problems;
}

/** Slack control sequences (`<!channel>`, `<!here>`, `<@U…>`, `<#C…>`, `<!subteam^…>`) anywhere in a post. */
function controlSequences(call: SlackCall): string[] {
  return [...allText(call.params.blocks), String(call.params.text)].flatMap((t) => t.match(/<[!@#][^>]*>/g) ?? []);
}

function expectCitationsIntoCorpus(e2e: E2eCore, citations: readonly Citation[]): void {
  for (const c of citations) {
    const passage = citedPassage(e2e.core, c);
    expect(passage, `${c.passageId} is not a passage of the corpus`).toBeDefined();
    expect(passage!.text).toContain(c.quote);
  }
}

describe('offline briefing through createCore', () => {
  it('groups both sample documents into one cited story with the Blinken title disagreement', async () => {
    const e2e = await core();
    const briefing = await e2e.core.briefings.build(undefined, { all: true });

    expect(briefing.mode).toBe('extractive');
    expect(briefing.documents).toEqual({ included: 2, skipped: [] });
    expect(briefing.stories).toHaveLength(1);
    const [story] = briefing.stories;
    expect([...story!.documentIds].sort()).toEqual([TXT, MD]);
    expect(story!.sources).toHaveLength(2);
    expect(citationProblems(story!.summary, story!.citations)).toEqual([]);
    expectCitationsIntoCorpus(e2e, story!.citations);
    expect(new Set(story!.citations.map((c) => c.documentId))).toEqual(new Set([TXT, MD]));

    const titles = story!.disagreements.filter((d) => /Blinken/.test(d.about) && /title/i.test(d.about));
    expect(titles).toHaveLength(1);
    const [title] = titles;
    expect(title!.about).toContain('Defense Secretary');
    expect(title!.about).toContain('Secretary of State');
    expect(new Set(title!.citations.map((c) => c.documentId))).toEqual(new Set([TXT, MD]));
    expectCitationsIntoCorpus(e2e, title!.citations);
    // Each side is quoted from the document that says it, and the citations are the story's own.
    expect(title!.citations.find((c) => c.documentId === TXT)!.quote).toContain('Defense Secretary Antony Blinken');
    expect(title!.citations.find((c) => c.documentId === MD)!.quote).toContain('Secretary of State Antony Blinken');
    for (const c of title!.citations) expect(story!.citations[c.n - 1]).toEqual(c);

    // Posted to Slack: within limits, both documents cited, the disagreement shown, nothing that pings.
    const calls = await postToSlack(e2e, briefing);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const call of calls) {
      expect(call.params.channel).toBe(CHANNEL);
      expect(slackLimitProblems(call)).toEqual([]);
      expect(controlSequences(call)).toEqual([]);
    }
    const posted = calls.flatMap((c) => allText(c.params.blocks)).join('\n');
    expect(posted).toContain(`*Sources differ:* ${escapeText(title!.about)}`);
    for (const c of story!.citations) expect(posted).toContain(`*[${c.n}]* ${escapeText(c.title)} · ${escapeText(c.source)}`);
    expect(posted).toContain('NBC News');
    expect(posted).toContain(TXT);
    expect(posted).toContain('2 documents included');
  });

  it('escapes mass mentions and user pings that documents carry, so a posted briefing pings nobody', async () => {
    // The sample corpus with hostile text in a title and in a lead sentence both briefings quote.
    const docs = await tempDir('briefbot-e2e-docs-');
    cleanups.push(() => docs.cleanup());
    const md = (await readFile(path.join(SAMPLE_CORPUS, MD), 'utf8'))
      .replace('title: "Blinken reportedly offers', 'title: "<!channel> Blinken reportedly offers')
      .replace('WASHINGTON – The Biden government', 'WASHINGTON <!here> <@U024BE7LH> – The Biden government');
    expect(md).toContain('<!channel>');
    expect(md).toContain('<!here>');
    await docs.write(MD, md);
    await docs.write(TXT, await readFile(path.join(SAMPLE_CORPUS, TXT)));

    const e2e = await core({ DOCS_DIR: docs.dir });
    const briefing = await e2e.core.briefings.build(undefined, { all: true });
    expect(briefing.stories).toHaveLength(1);
    const story = briefing.stories[0]!;
    const everything = JSON.stringify(story);
    expect(everything).toContain('<!channel>'); // the core keeps document text; escaping is the adapter's job
    expect(everything).toContain('<!here>');

    const calls = await postToSlack(e2e, briefing);
    for (const call of calls) {
      expect(controlSequences(call)).toEqual([]);
      expect(slackLimitProblems(call)).toEqual([]);
    }
    const posted = calls.flatMap((c) => [...allText(c.params.blocks), String(c.params.text)]).join('\n');
    expect(posted).toContain('&lt;!channel&gt;');
    expect(posted).toContain('&lt;!here&gt;');
    expect(posted).toContain('&lt;@U024BE7LH&gt;');
    expect(posted).toContain('Sources differ');
  });
});
