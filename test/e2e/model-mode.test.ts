// Model mode through the composition root: loadConfig → createCore with OPENAI_BASE_URL pointed at a
// local OpenAI-compatible server (the real openai SDK talks to it over loopback). The server reads the
// numbered passages from the prompt and answers citing [1] and an invented [7]; the core must keep
// only what the passages support. Then the server fails, and the user still gets an answer. The same
// server writes the model version of the briefing story (JSON), checked the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTE_MODEL_UNAVAILABLE } from '../../src/core/model-answerer.ts';
import { neutralise } from '../../src/core/prompts.ts';
import { completion, type LocalServer, type RecordedRequest, startLocalServer } from '../models/helpers.ts';
import { citationProblems, citedPassage, type E2eCore, markers, startCore } from './helpers/core.ts';

const SECRETS = {
  OPENAI_API_KEY: 'sk-e2e-secret-key-0123456789abcdef',
  SLACK_BOT_TOKEN: 'xoxb-e2e-secret-bot-token-123',
  SLACK_SIGNING_SECRET: 'e2e-signing-secret-4567',
  DISCORD_TOKEN: 'e2e.discord.secret.token.890',
};
const DISCORD_APPLICATION_ID = '787053080478613554';

const QUESTION = 'What did Blinken propose to Afghan President Ashraf Ghani?';

/** What the fake model server does with the next chat-completion request. */
let behaviour: 'answer' | 'fail' = 'answer';
let server: LocalServer;
let e2e: E2eCore;

/** Numbered passage blocks of a user prompt, by n. */
function passageBlocks(prompt: string): Map<number, string> {
  const blocks = new Map<number, string>();
  for (const m of prompt.matchAll(/<passage n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/passage>/g)) blocks.set(Number(m[1]), m[2] ?? '');
  return blocks;
}

/**
 * A briefing story as a model would write it from the prompt: the first passage of each document cited,
 * a title disagreement citing one passage per document, a marker in the headline and an invented [99].
 */
function briefingReply(prompt: string): string {
  const firstOf = new Map<string, number>();
  for (const m of prompt.matchAll(/<passage n="(\d+)"[^>]* document="([^"]+)">/g)) {
    if (!firstOf.has(m[2]!)) firstOf.set(m[2]!, Number(m[1]));
  }
  const [a, b] = [...firstOf.values()];
  return `Here is the story:\n\`\`\`json\n${JSON.stringify({
    headline: 'Blinken letter proposes Afghan power-sharing [1]',
    summary: `Blinken sent Afghan leaders a letter proposing a power-sharing government [${a}]. NBC News reported the letter's plan for a UN-led meeting [${b}]. He also visited Mars [99].`,
    disagreements: [{ about: "Antony Blinken's title: Defense Secretary vs Secretary of State", citations: [a, b] }],
  })}\n\`\`\``;
}

function userPrompt(req: RecordedRequest): string {
  const body = JSON.parse(req.body) as { messages: Array<{ role: string; content: string }> };
  return body.messages.find((m) => m.role === 'user')?.content ?? '';
}

beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    if (behaviour === 'fail') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'the model crashed', type: 'server_error' } }));
      return;
    }
    // Answer from what the prompt actually numbers: quote a few words of passage 1, cite it as [1],
    // and add a claim citing a passage that was never supplied ([7]; at most 5 are sent).
    const prompt = userPrompt(req);
    if (prompt.includes('<draft_headline>')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completion(briefingReply(prompt))));
      return;
    }
    const blocks = passageBlocks(prompt);
    const first = (blocks.get(1) ?? '').split(/\s+/).slice(0, 12).join(' ');
    const text = `According to the documents, ${first} [1]. He also promised a moon base [7].`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(completion(text)));
  });
  e2e = await startCore({
    OPENAI_BASE_URL: server.baseURL,
    OPENAI_MODEL: 'test-model',
    OPENAI_MAX_RETRIES: '1',
    DISCORD_APPLICATION_ID,
    ...SECRETS,
  });
});

afterAll(async () => {
  await e2e?.close();
  await server?.close();
});

describe('model mode through createCore', () => {
  it('answers with the model, drops the invented [7], and cites only passages it supplied', async () => {
    behaviour = 'answer';
    const answer = await e2e.core.handler.ask({ text: QUESTION, conversation: { platform: 'console', id: 'e2e-model-1' } });

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.url).toBe('/v1/chat/completions');
    const body = JSON.parse(request.body) as { model: string; stream?: boolean };
    expect(body.model).toBe('test-model');
    expect(body.stream).toBeUndefined(); // no onPartial: one plain completion
    const prompt = userPrompt(request);
    const blocks = passageBlocks(prompt);
    expect(blocks.size).toBeGreaterThanOrEqual(1);
    expect(blocks.size).toBeLessThan(7);

    expect(answer.mode).toBe('llm');
    expect(answer.found).toBe(true);
    expect(answer.note).toBeUndefined();
    expect(answer.markdown).toContain('According to the documents');
    expect(answer.markdown).not.toContain('[7]');
    expect(answer.markdown).toContain('moon base'); // the claim stays; only its false marker goes
    expect(markers(answer.markdown)).toEqual([1]);
    expect(citationProblems(answer.markdown, answer.citations)).toEqual([]);
    expect(answer.citations).toHaveLength(1);

    // [1] is the passage the server saw as n="1", a real passage of the corpus, quoted verbatim.
    const cited = citedPassage(e2e.core, answer.citations[0]!);
    expect(cited).toBeDefined();
    expect(neutralise(cited!.text.trim())).toBe(blocks.get(1));
    expect(cited!.text).toContain(answer.citations[0]!.quote);
    expect(answer.citations[0]!.title).toBe(e2e.core.library.document(cited!.documentId)?.title);
    expect(e2e.logs.some((l) => String(l.msg).includes('markers removed') && JSON.stringify(l.removed) === '[7]')).toBe(true);
  });

  it('sends the question as data and no secret in the request body; the key only as the bearer token', () => {
    const request = server.requests[0]!;
    expect(userPrompt(request)).toContain(`<question>\n${QUESTION}\n</question>`);
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(request.body, `${name} leaked into the request body`).not.toContain(secret);
    }
    expect(request.headers.authorization).toBe(`Bearer ${SECRETS.OPENAI_API_KEY}`);
    const otherHeaders = JSON.stringify({ ...request.headers, authorization: undefined });
    for (const secret of [SECRETS.SLACK_BOT_TOKEN, SECRETS.SLACK_SIGNING_SECRET, SECRETS.DISCORD_TOKEN]) {
      expect(otherHeaders).not.toContain(secret);
    }
  });

  it('falls back to the extractive answer with a note when the server returns 500, after one retry', async () => {
    behaviour = 'fail';
    const before = server.requests.length;
    const answer = await e2e.core.handler.ask({ text: QUESTION, conversation: { platform: 'console', id: 'e2e-model-2' } });

    expect(server.requests.length - before).toBe(2); // OPENAI_MAX_RETRIES=1
    expect(answer.mode).toBe('extractive');
    expect(answer.note).toBe(NOTE_MODEL_UNAVAILABLE);
    expect(answer.found).toBe(true);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(citationProblems(answer.markdown, answer.citations)).toEqual([]);
    for (const c of answer.citations) expect(citedPassage(e2e.core, c)?.text).toContain(c.quote);
    expect(e2e.logs.some((l) => l.msg === 'model answer failed; using the extractive answer')).toBe(true);
  });

  it('rewrites the briefing story with the model, keeping only markers and disagreements the passages support', async () => {
    behaviour = 'answer';
    const before = server.requests.length;
    const briefing = await e2e.core.briefings.build(undefined, { all: true });
    expect(server.requests.length - before).toBe(1); // one story, one model call
    const prompt = userPrompt(server.requests.at(-1)!);
    expect(prompt).toContain('<draft_headline>');

    expect(briefing.mode).toBe('llm');
    expect(briefing.stories).toHaveLength(1);
    const story = briefing.stories[0]!;
    expect(story.headline).toBe('Blinken letter proposes Afghan power-sharing');
    expect(story.summary).not.toContain('[99]');
    expect(story.summary).toContain('visited Mars.');
    expect(markers(story.summary)).toEqual([1, 2]);
    expect(citationProblems(story.summary, story.citations)).toEqual([]);
    expect(new Set(story.citations.map((c) => c.documentId))).toEqual(new Set(story.documentIds));
    for (const c of story.citations) {
      const passage = citedPassage(e2e.core, c);
      expect(passage).toBeDefined();
      expect(prompt).toContain(neutralise(passage!.text.trim()));
      expect(passage!.text).toContain(c.quote);
    }
    expect(story.disagreements).toHaveLength(1);
    const [title] = story.disagreements;
    expect(title!.about).toBe("Antony Blinken's title: Defense Secretary vs Secretary of State");
    expect(new Set(title!.citations.map((c) => c.documentId)).size).toBe(2);
    for (const c of title!.citations) expect(story.citations[c.n - 1]?.passageId).toBe(c.passageId);
  });

  it('keeps the offline story when the model fails while writing the briefing', async () => {
    behaviour = 'fail';
    const briefing = await e2e.core.briefings.build(undefined, { all: true });
    expect(briefing.mode).toBe('extractive');
    expect(briefing.stories).toHaveLength(1);
    const story = briefing.stories[0]!;
    expect(citationProblems(story.summary, story.citations)).toEqual([]);
    expect(story.disagreements.some((d) => d.about.includes('Defense Secretary') && d.about.includes('Secretary of State'))).toBe(true);
    expect(e2e.logs.some((l) => l.msg === 'model briefing failed; keeping the offline story')).toBe(true);
  });
});
