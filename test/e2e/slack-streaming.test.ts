// A streamed model answer end to end into Slack: the real openai SDK (api.openai.com answered by nock
// with SSE arriving over time) behind the core built by createCore, driving the real Slack adapter
// (Bolt HTTP receiver on 127.0.0.1) that receives a signed app_mention built from the recorded
// fixture and talks to a local stand-in for the Slack Web API.
import nock from 'nock';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SlackAdapter } from '../../src/adapters/slack/app.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../adapters/slack/fake-slack-api.ts';
import { allText, loadFixture, SIGNING_SECRET, sendSigned } from '../adapters/slack/support.ts';
import type { QuestionHandler } from '../../src/adapters/types.ts';
import { NOTE_MODEL_UNAVAILABLE } from '../../src/core/model-answerer.ts';
import type { Answer } from '../../src/core/types.ts';
import { citationProblems, citedPassage, type E2eCore, startCore } from './helpers/core.ts';
import { slackAdapterFor } from './helpers/slack.ts';
import { nockStreamedCompletion, STREAM_DELTAS as DELTAS, STREAM_QUESTION as QUESTION } from './helpers/openai.ts';

const API_KEY = 'sk-e2e-stream-key-0123456789abcdef';

let slack: FakeSlackApi;
let e2e: E2eCore;
let adapter: SlackAdapter;
/** Answers the real core returned to the adapter (the handler is the core's, only observed). */
let answers: Answer[];

beforeEach(async () => {
  slack = await startFakeSlackApi();
  e2e = await startCore({
    OPENAI_API_KEY: API_KEY,
    SLACK_BOT_TOKEN: 'xoxb-e2e-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
  });
  adapter = slackAdapterFor(e2e, { placeholderDelayMs: 0, updateIntervalMs: 100 });
  answers = [];
  const core = e2e.core.handler;
  const observed: QuestionHandler = {
    ...core,
    ask: async (question, options) => {
      const answer = await core.ask(question, options);
      answers.push(answer);
      return answer;
    },
  };
  await adapter.start(observed);
});

afterEach(async () => {
  await adapter.stop();
  await slack.close();
  await e2e.close();
  nock.cleanAll();
});

it('streams partial text into the placeholder and ends with the cited answer', async () => {
  const openai = nockStreamedCompletion(DELTAS, 60);
  const mention = loadFixture<{ event: { text: string; ts: string; channel: string } }>('app_mention.event_callback.json');
  mention.event.text = `<@U0LAN0Z89> ${QUESTION}`;
  const reply = await sendSigned(adapter.port!, JSON.stringify(mention));
  expect(reply.status).toBe(200);

  // The final chat.update is the one carrying the sources; wait for it, then let the adapter settle.
  await expect
    .poll(() => slack.of('chat.update').some((u) => allText(u.params.blocks).join('\n').includes('*Sources*')), { timeout: 8000 })
    .toBe(true);
  await adapter.stop();

  expect(openai.scope.isDone()).toBe(true);
  const [request] = openai.requests;
  expect(request?.body.stream).toBe(true);
  expect(request?.authorization).toBe(`Bearer ${API_KEY}`);
  expect(request?.body.messages.find((m) => m.role === 'user')?.content).toContain(QUESTION);

  const posts = slack.of('chat.postMessage');
  expect(posts).toHaveLength(1); // the placeholder, in the mention's thread; everything else edits it
  expect(posts[0]!.params).toMatchObject({ channel: mention.event.channel, thread_ts: mention.event.ts });
  const placeholderTs = '1700000000.000001';

  const updates = slack.of('chat.update');
  expect(updates.every((u) => u.params.ts === placeholderTs && u.params.channel === mention.event.channel)).toBe(true);
  const partials = updates.slice(0, -1);
  const final = updates.at(-1)!;
  const texts = partials.map((u) => allText(u.params.blocks).join('\n'));

  // Partial text reached Slack more than once while the model was still writing, growing each time.
  expect(partials.length).toBeGreaterThanOrEqual(2);
  for (const text of texts) expect(text).toContain('Writing…');
  const bodies = partials.map((u) => String(u.params.text));
  expect(bodies[0]).toMatch(/^Blinken/);
  expect(bodies[0]).not.toContain('Turkey');
  for (let i = 1; i < bodies.length; i++) expect(bodies[i]!.length).toBeGreaterThanOrEqual(bodies[i - 1]!.length);
  // An invented marker is never shown, not even while streaming.
  for (const u of updates) expect(JSON.stringify(u.params)).not.toContain('[9]');

  // The final message replaces the placeholder: the model's answer with its two sources.
  const answer = allText(final.params.blocks).join('\n');
  expect(answer).not.toContain('Writing…');
  expect(answer).toContain('Blinken proposed a power-sharing agreement between the Taliban and the Afghan government [1], and talks in Turkey [2]. He also offered a moon base.');
  expect(answer).toContain('written by the model');
  expect(answer).toMatch(/\*\[1\]\* .+ · .+\n> /);
  expect(answer).toMatch(/\*\[2\]\* .+ · .+\n> /);
  expect(answer).not.toMatch(/\*\[3\]\*/);

  // The same answer as the core produced it: markers and citations agree, quotes come from the corpus.
  expect(answers).toHaveLength(1);
  const core = answers[0]!;
  expect(core).toMatchObject({ mode: 'llm', found: true });
  expect(core.markdown).not.toContain('[9]');
  expect(citationProblems(core.markdown, core.citations)).toEqual([]);
  expect(core.citations).toHaveLength(2);
  for (const c of core.citations) {
    expect(citedPassage(e2e.core, c)?.text).toContain(c.quote);
    expect(answer).toContain(c.title);
  }
  expect(e2e.logs.find((l) => l.msg === 'Answered a Slack message')).toMatchObject({ mode: 'llm', citations: 2, messages: 1 });
});

it('replaces streamed partial text with the extractive answer and a note when the stream breaks', async () => {
  // Role event, then 4 deltas ("Blinken proposed a power-sharing agreement "), then the connection fails.
  const openai = nockStreamedCompletion(DELTAS, 60, { breakAfter: 5 });
  const mention = loadFixture<{ event: { text: string; ts: string; channel: string }; event_id: string }>('app_mention.event_callback.json');
  mention.event.text = `<@U0LAN0Z89> ${QUESTION}`;
  mention.event_id = 'Ev0E2EBREAK1';
  await sendSigned(adapter.port!, JSON.stringify(mention));

  await expect
    .poll(() => slack.of('chat.update').some((u) => allText(u.params.blocks).join('\n').includes('*Sources*')), { timeout: 8000 })
    .toBe(true);
  await adapter.stop();
  expect(openai.scope.isDone()).toBe(true);
  expect(openai.requests).toHaveLength(1); // a stream that broke mid-answer is not retried
  expect(e2e.logs.find((l) => l.msg === 'model answer failed; using the extractive answer')).toBeDefined();

  const updates = slack.of('chat.update');
  const partials = updates.slice(0, -1);
  expect(partials.length).toBeGreaterThanOrEqual(1);
  expect(String(partials[0]!.params.text)).toMatch(/^Blinken/);
  expect(slack.of('chat.postMessage')).toHaveLength(1);

  const final = allText(updates.at(-1)!.params.blocks).join('\n');
  expect(final).not.toContain('Writing…');
  expect(final).not.toContain('Blinken proposed a power-sharing agreement'); // the broken model text is gone
  expect(final).toContain(`:information_source: ${NOTE_MODEL_UNAVAILABLE}`);
  expect(final).toContain('quoted from the documents');

  expect(answers).toHaveLength(1);
  const answer = answers[0]!;
  expect(answer).toMatchObject({ mode: 'extractive', found: true, note: NOTE_MODEL_UNAVAILABLE });
  expect(citationProblems(answer.markdown, answer.citations)).toEqual([]);
  for (const c of answer.citations) expect(citedPassage(e2e.core, c)?.text).toContain(c.quote);
});
