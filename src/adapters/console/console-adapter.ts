import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Answer, Briefing } from '../../core/types.ts';
import type { ChatAdapter, ConversationRef, PostedRef, QuestionHandler } from '../types.ts';
import { renderAnswerText, renderBriefingText } from './format.ts';

export interface ConsoleAdapterOptions {
  input: Readable;
  output: Writable;
  /** Interactive prompt and greeting (a terminal); false for piped input: one answer per line. */
  interactive: boolean;
  /** Called when input ends (piped stdin closed, Ctrl-D). */
  onClose?: () => void;
}

const CONVERSATION: ConversationRef = { platform: 'console', id: 'console' };

/**
 * The embedded default chat: questions from stdin, answers on stdout. On a terminal it shows a
 * prompt and streams model answers as they are written; with piped input it answers each line in
 * order and finishes when the input ends. `/brief` shows the current briefing.
 */
export function createConsoleAdapter(options: ConsoleAdapterOptions): ChatAdapter & { closed: Promise<void> } {
  const { output } = options;
  let rl: ReturnType<typeof createInterface> | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const write = (text: string): void => {
    output.write(text.endsWith('\n') ? text : `${text}\n`);
  };

  async function handleLine(handler: QuestionHandler, line: string): Promise<void> {
    const text = line.trim();
    if (!text) return;
    if (text === '/brief' || text === '/brief now') {
      const result = await handler.brief(CONVERSATION, { kind: 'show' });
      if (result.briefing) write(renderBriefingText(result.briefing));
      if (result.message) write(result.message);
      return;
    }
    let printed = '';
    const answer = await handler.ask(
      { text, conversation: CONVERSATION, userId: 'console' },
      options.interactive
        ? {
            onPartial: (soFar) => {
              if (soFar.startsWith(printed)) output.write(soFar.slice(printed.length));
              printed = soFar;
            },
          }
        : {},
    );
    if (printed) output.write('\n\n');
    write(renderAnswerText(answer));
    write('');
  }

  return {
    platform: 'console',
    closed,
    async start(handler) {
      rl = createInterface({ input: options.input, output: options.interactive ? output : undefined, terminal: options.interactive });
      if (options.interactive) {
        write('briefbot — ask a question about the documents (/brief for the briefing, Ctrl-D to quit).');
        rl.setPrompt('> ');
        rl.prompt();
      }
      // Lines are answered strictly in order, one at a time.
      let queue = Promise.resolve();
      rl.on('line', (line) => {
        queue = queue.then(() => handleLine(handler, line)).then(() => {
          if (options.interactive) rl?.prompt();
        });
      });
      rl.on('close', () => {
        void queue.then(() => {
          resolveClosed();
          options.onClose?.();
        });
      });
    },
    async stop() {
      rl?.close();
    },
    async post(_to, content: Answer | Briefing): Promise<PostedRef> {
      write('stories' in content ? renderBriefingText(content) : renderAnswerText(content));
      return { conversation: CONVERSATION, messageId: String(Date.now()) };
    },
    channelRef: () => CONVERSATION,
  };
}
