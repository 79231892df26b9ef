// api.openai.com answered by nock with a streamed chat completion whose SSE events arrive over time.
import nock from 'nock';
import { sseStream } from './core.ts';

/** A question about the sample corpus that the streamed answers below reply to. */
export const STREAM_QUESTION = 'What did Blinken propose to Afghan President Ashraf Ghani?';

/** A streamed answer in chunks: two valid markers, then an invented [9] that verification must drop. */
export const STREAM_DELTAS = [
  'Blinken ',
  'proposed ',
  'a power-sharing ',
  'agreement ',
  'between the Taliban ',
  'and the Afghan government [1]',
  ', and talks ',
  'in Turkey [2]',
  '. He also offered a moon base [9].',
];

/** The body of one chat-completion request as the SDK sent it. */
export interface ChatRequestBody {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content: string }>;
}

/**
 * Intercepts one `POST https://api.openai.com/v1/chat/completions` and answers it with `deltas` as an SSE
 * stream, one event every `gapMs` (failing after `breakAfter` events when set). `requests` collects the parsed bodies and authorization headers.
 */
export function nockStreamedCompletion(deltas: string[], gapMs: number, options: { breakAfter?: number } = {}) {
  const requests: Array<{ body: ChatRequestBody; authorization: string | undefined }> = [];
  const scope = nock('https://api.openai.com')
    .post('/v1/chat/completions')
    .reply(function reply(_uri, body) {
      const header = this.req.headers.authorization;
      requests.push({ body: body as ChatRequestBody, authorization: Array.isArray(header) ? header[0] : header });
      return [200, sseStream(deltas, gapMs, options), { 'content-type': 'text/event-stream' }];
    });
  return { scope, requests };
}
