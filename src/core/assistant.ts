import type {
  AskOptions,
  BriefCommand,
  BriefCommandResult,
  ConversationRef,
  FeedbackVote,
  IncomingQuestion,
  QuestionHandler,
} from '../adapters/types.ts';
import { FRIENDLY_FAILURE, QuestionError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { checkQuestion } from './question-guard.ts';
import type { Retriever } from './retriever.ts';
import { scoreSentences } from './extract.ts';
import { citePassage } from './extractive-answerer.ts';
import type { Answer, Citation, ScoredPassage } from './types.ts';

/** Turns a question and its retrieved passages into a cited answer (extractive or model-backed). */
export interface AnswerStrategy {
  answer(
    question: string,
    passages: ScoredPassage[],
    options?: { onPartial?: (markdown: string) => void; signal?: AbortSignal; history?: string[] },
  ): Promise<Answer>;
}

/** The parts of the briefing service the assistant delegates to. */
export interface BriefingCommands {
  command(conversation: ConversationRef, command: BriefCommand): Promise<BriefCommandResult>;
  /** Documents of the briefing posted in this conversation, when it is a briefing thread. */
  briefingDocuments(conversation: ConversationRef): string[] | undefined;
}

export interface AssistantOptions {
  retriever: Retriever;
  answerer: AnswerStrategy;
  /** Citation details and furniture of a document. */
  describe: (documentId: string) => { title: string; source: string; url?: string; furniture?: ReadonlyArray<{ start: number; end: number }> } | undefined;
  /** IDF-style term weight (for picking the quoted sentence of a source). */
  weight: (term: string) => number;
  conversations: { record(id: string, question: string): void; recentQuestions(id: string, limit?: number): string[]; has(id: string): boolean };
  deliveries: { claim(id: string): boolean };
  feedback: { record(vote: FeedbackVote): void };
  briefings?: BriefingCommands;
  logger: Logger;
  /** Longest question accepted; default 1000 characters. */
  maxQuestionChars?: number;
  /** Passages retrieved per question; default 5. */
  topK?: number;
}

/**
 * The core behind every adapter: validates questions, retrieves with the thread's earlier questions
 * as extra context (restricted to a briefing's documents in a briefing thread), answers with cited
 * passages, and remembers the conversation. Never throws from `ask`: refusals and failures become
 * answers a user can read.
 */
export function createAssistant(options: AssistantOptions): QuestionHandler {
  const topK = options.topK ?? 5;
  const maxChars = options.maxQuestionChars ?? 1000;

  async function retrieve(question: string, history: string[], documentIds?: string[]): Promise<ScoredPassage[]> {
    const scope = documentIds?.length ? { documentIds } : {};
    const primary = await options.retriever.search(question, { limit: topK, ...scope });
    if (!history.length) return primary;
    // Follow-ups lean on earlier questions: fuse the plain ranking with one that adds the thread's context.
    const contextual = await options.retriever.search(`${question} ${history.join(' ')}`, { limit: topK, ...scope });
    return fuse(primary, contextual, topK);
  }

  async function ask(incoming: IncomingQuestion, askOptions: AskOptions = {}): Promise<Answer> {
    const conversationId = conversationKey(incoming.conversation);
    let question: string;
    try {
      question = checkQuestion(incoming.text, { maxChars });
    } catch (error) {
      if (error instanceof QuestionError) return refusal(incoming.text, error.message);
      throw error;
    }
    try {
      const history = options.conversations.recentQuestions(conversationId, 2);
      const scope = options.briefings?.briefingDocuments(incoming.conversation);
      let passages = await retrieve(question, history, scope);
      if (scope && !passages.length) passages = await retrieve(question, history);
      const answer = await options.answerer.answer(question, passages, {
        onPartial: askOptions.onPartial,
        signal: askOptions.signal,
        history,
      });
      options.conversations.record(conversationId, question);
      options.logger.info(
        { conversation: incoming.conversation.platform, found: answer.found, mode: answer.mode, confidence: answer.confidence, citations: answer.citations.length },
        'Answered a question',
      );
      return answer;
    } catch (error) {
      options.logger.error({ err: error }, 'Answering failed');
      return refusal(question, FRIENDLY_FAILURE);
    }
  }

  async function sources(query: string, limit = 5): Promise<Citation[]> {
    const q = checkQuestion(query, { maxChars });
    const passages = await options.retriever.search(q, { limit: Math.min(Math.max(limit, 1), 10) });
    return passages.map((sp, i) => {
      const info = options.describe(sp.passage.documentId);
      const best = scoreSentences(q, [sp], { weight: options.weight, furnitureOf: () => info?.furniture })[0];
      return citePassage(i + 1, sp, best?.text ?? sp.passage.text.trim().slice(0, 300), info);
    });
  }

  return {
    ask,
    sources,
    async brief(conversation, command) {
      if (!options.briefings) return { message: 'Briefings are not set up on this bot.' };
      return options.briefings.command(conversation, command);
    },
    isActiveConversation(conversation) {
      return (
        options.conversations.has(conversationKey(conversation)) ||
        options.briefings?.briefingDocuments(conversation) !== undefined
      );
    },
    async recordFeedback(vote) {
      options.feedback.record(vote);
    },
    claimDelivery: (id) => options.deliveries.claim(id),
  };
}

/** The key conversation state is stored under: platform plus the adapter's opaque id. */
export function conversationKey(ref: ConversationRef): string {
  return `${ref.platform}:${ref.id}`;
}

function refusal(question: string, message: string): Answer {
  return { question, markdown: message, citations: [], found: false, mode: 'extractive', confidence: 'low' };
}

/** Reciprocal-rank fusion of two rankings, the first counted double. */
function fuse(primary: ScoredPassage[], secondary: ScoredPassage[], limit: number): ScoredPassage[] {
  const scores = new Map<string, { sp: ScoredPassage; score: number }>();
  const add = (list: ScoredPassage[], weight: number): void => {
    list.forEach((sp, rank) => {
      const entry = scores.get(sp.passage.id) ?? { sp, score: 0 };
      entry.score += weight / (60 + rank);
      scores.set(sp.passage.id, entry);
    });
  };
  add(primary, 2);
  add(secondary, 1);
  const top = primary[0]?.score ?? secondary[0]?.score ?? 1;
  const fusedTop = Math.max(...[...scores.values()].map((e) => e.score), 1e-9);
  return [...scores.values()]
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((e) => ({ passage: e.sp.passage, score: (e.score / fusedTop) * top }));
}
