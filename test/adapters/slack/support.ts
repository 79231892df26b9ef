// Shared test support: fixtures, request signing, a recording QuestionHandler and sample answers.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  AskOptions, BriefCommand, BriefCommandResult, ConversationRef, FeedbackVote, IncomingQuestion, QuestionHandler,
} from '../../../src/adapters/types.ts';
import type { Answer, Citation } from '../../../src/core/types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '../../fixtures/slack');

/** A JSON fixture from test/fixtures/slack with its `_`-prefixed notes removed. */
export function loadFixture<T = Record<string, unknown>>(name: string): T {
  const data = JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as Record<string, unknown>;
  return strip(data) as T;
}

/** A text fixture, byte-exact. */
export function loadTextFixture(name: string): string {
  return readFileSync(path.join(fixtures, name), 'utf8');
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('_')).map(([k, v]) => [k, strip(v)]));
  }
  return value;
}

export const SIGNING_SECRET = 'test-signing-secret-1234';

/** Slack's v0 signature headers for `body` at `timestamp` (seconds; default now). */
export function signedHeaders(body: string, options: { secret?: string; timestamp?: number; contentType?: string } = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const digest = createHmac('sha256', options.secret ?? SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': options.contentType ?? 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${digest}`,
  };
}

/** POSTs a signed body to the adapter's /slack/events and returns the response. */
export async function sendSigned(port: number, body: string, extra: { headers?: Record<string, string>; contentType?: string; timestamp?: number; secret?: string } = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: { ...signedHeaders(body, extra), ...extra.headers },
    body,
  });
}

/** A slash-command form body built from the signed-example fixture with our own command/text/response_url. */
export function commandBody(command: string, text: string, responseUrl: string, channelId = 'G8PSS9T3V'): string {
  const form = new URLSearchParams(loadTextFixture('slash_command.signed_example.form.txt'));
  form.set('command', command);
  form.set('text', text);
  form.set('response_url', responseUrl);
  form.set('channel_id', channelId);
  return form.toString();
}

export const citations: Citation[] = [
  { n: 1, passageId: 'rivers.md#2', documentId: 'rivers.md', title: 'The Great Rivers', source: 'Atlas Weekly', url: 'https://example.com/rivers', quote: 'A river should be wide, deep and clean.' },
  { n: 2, passageId: 'delta.txt#0', documentId: 'delta.txt', title: 'Delta notes', source: 'delta.txt', quote: 'The delta floods every spring.' },
];

/** A found answer with two citations. */
export function sampleAnswer(question: string, overrides: Partial<Answer> = {}): Answer {
  return {
    question,
    markdown: 'A river should be **wide and deep** [1], and its delta floods each spring [2].',
    citations,
    found: true,
    mode: 'extractive',
    confidence: 'high',
    ...overrides,
  };
}

/** A hand-written QuestionHandler that records every call; behaviour is set per test. */
export class RecordingHandler implements QuestionHandler {
  asks: Array<{ question: IncomingQuestion; at: number }> = [];
  briefs: Array<{ conversation: ConversationRef; command: BriefCommand }> = [];
  votes: FeedbackVote[] = [];
  active = new Set<string>();
  claimed = new Set<string>();
  answer: (q: IncomingQuestion, options?: AskOptions) => Promise<Answer> = async (q) => sampleAnswer(q.text);
  briefResult: (command: BriefCommand) => Promise<BriefCommandResult> = async () => ({ message: 'ok' });
  /** When set, votes are passed on (e.g. to a real feedback store). */
  onVote?: (vote: FeedbackVote) => void;
  /** When set, claims go to this function (e.g. a real delivery log). */
  claimWith?: (id: string) => boolean;

  async ask(question: IncomingQuestion, options?: AskOptions): Promise<Answer> {
    this.asks.push({ question, at: Date.now() });
    return this.answer(question, options);
  }
  async sources(): Promise<Citation[]> {
    return citations;
  }
  async brief(conversation: ConversationRef, command: BriefCommand): Promise<BriefCommandResult> {
    this.briefs.push({ conversation, command });
    return this.briefResult(command);
  }
  isActiveConversation(conversation: ConversationRef): boolean {
    return this.active.has(conversation.id);
  }
  async recordFeedback(vote: FeedbackVote): Promise<void> {
    this.votes.push(vote);
    this.onVote?.(vote);
  }
  claimDelivery(id: string): boolean {
    if (this.claimWith) return this.claimWith(id);
    if (this.claimed.has(id)) return false;
    this.claimed.add(id);
    return true;
  }
}

/** Waits until `check` passes or `timeoutMs` elapses. */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** Every mrkdwn/plain text string inside a Slack payload (blocks, text), for escaping checks. */
export function allText(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allText);
  if (value && typeof value === 'object') return Object.entries(value).filter(([k]) => k !== 'value' && k !== 'url').flatMap(([, v]) => allText(v));
  return [];
}
