/**
 * The composition root: configuration → core (library, answerer, briefings) → adapters → scheduler.
 * Everything else receives its dependencies through options; this is the one place that wires them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConsoleAdapter } from './adapters/console/console-adapter.ts';
import type { ChatAdapter, QuestionHandler } from './adapters/types.ts';
import { type Config, modelEnabled } from './config.ts';
import { type AnswerStrategy, createAssistant } from './core/assistant.ts';
import { createBriefingService, postThrough } from './core/briefing-service.ts';
import { watchCorpus } from './core/corpus-watcher.ts';
import { createExtractiveAnswerer, type DocumentInfo } from './core/extractive-answerer.ts';
import { createLibrary, type Library, type LibraryOptions } from './core/library.ts';
import type { Retriever } from './core/retriever.ts';
import type { Logger } from './logger.ts';
import { createConversationLog } from './store/conversations.ts';
import { type Db, openDatabase } from './store/database.ts';
import { createDeliveryLog } from './store/deliveries.ts';
import { createFeedbackStore } from './store/feedback.ts';
import { createScheduler } from './scheduler.ts';
import { createHybridRetriever } from './core/hybrid-retriever.ts';
import { createModelAnswerer } from './core/model-answerer.ts';
import { createModelBriefingWriter } from './core/model-briefing.ts';
import { loadPrompts } from './core/prompts.ts';
import { createOpenAIEmbeddings, createOpenAIModel } from './models/openai.ts';

/** The project root (where `prompts/` lives), independent of the working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Core {
  config: Config;
  logger: Logger;
  db: Db;
  library: Library;
  handler: QuestionHandler;
  briefings: ReturnType<typeof createBriefingService>;
  /** Embeds passages not yet in the embedding cache (hybrid retrieval only); undefined when it is off. */
  embedPassages?: () => Promise<{ passages: number; embedded: number }>;
  close(): Promise<void>;
}

export interface CreateCoreOptions {
  /** Progress of the initial corpus load. */
  onProgress?: LibraryOptions['onProgress'];
  /** Keep the database in memory (one-shot CLI commands that must not touch shared state); default false. */
  ephemeralState?: boolean;
  /** The running adapters, read lazily, so `/brief now` posts through the adapter of the requesting platform. */
  adapters?: () => ChatAdapter[];
}

/** Builds the core: loads (or reuses) the index, picks the answerer (model when configured), opens the store. */
export async function createCore(config: Config, logger: Logger, options: CreateCoreOptions = {}): Promise<Core> {
  const db = openDatabase({ dataDir: options.ephemeralState ? ':memory:' : config.dataDir });
  const library = await createLibrary({ docsDir: config.docsDir, dataDir: config.dataDir, logger, onProgress: options.onProgress });
  const report = await library.refresh();
  logger.info(
    {
      documents: library.snapshot().documents.length,
      passages: library.index.passageCount,
      added: report.added.length,
      changed: report.changed.length,
      removed: report.removed.length,
      skipped: report.skipped.length,
      reusedIndex: report.reusedIndex,
    },
    'Corpus indexed',
  );

  const describe = (id: string): DocumentInfo | undefined => library.document(id);
  const weight = (term: string): number => library.index.termWeight(term);
  const extractive = createExtractiveAnswerer({ describe, weight });
  let answerer: AnswerStrategy = { answer: async (q, passages) => extractive.answer(q, passages) };
  let retriever: Retriever = library.index;
  let rewriteStory: Parameters<typeof createBriefingService>[0]['rewriteStory'];
  let embedPassages: Core['embedPassages'];

  if (modelEnabled(config)) {
    const modelOptions = {
      apiKey: config.openaiApiKey,
      baseURL: config.openaiBaseUrl,
      model: config.openaiModel,
      timeoutMs: config.openaiTimeoutMs,
      maxRetries: config.openaiMaxRetries,
      logger: logger.child({ component: 'model' }),
    };
    const model = createOpenAIModel(modelOptions);
    const prompts = await loadPrompts(path.join(PROJECT_ROOT, 'prompts'));
    const shared = { model, prompts, maxContextChars: config.modelMaxContextChars, logger, describe };
    answerer = createModelAnswerer({ ...shared, fallback: extractive.answer });
    const writer = createModelBriefingWriter(shared);
    rewriteStory = (story, passages) => writer.rewrite(story, passages);
    if (config.openaiEmbeddingModel) {
      const hybrid = createHybridRetriever({
        lexical: library.index,
        embeddings: createOpenAIEmbeddings({ ...modelOptions, model: config.openaiEmbeddingModel }),
        cacheDir: path.join(config.dataDir, 'embeddings'),
        passages: () => library.index.documentIds().flatMap((id) => library.passagesOf(id)),
        logger,
      });
      retriever = hybrid;
      embedPassages = () => hybrid.index();
    }
  }

  const briefings = createBriefingService({
    db,
    logger,
    defaultCron: config.briefingCron,
    defaultTimezone: config.briefingTimezone,
    corpus: () => ({ ...library.snapshot(), passagesOf: (id: string) => library.passagesOf(id) }),
    rewriteStory,
    post: options.adapters ? postThrough(options.adapters) : undefined,
  });

  const handler = createAssistant({
    retriever,
    answerer,
    describe,
    weight,
    conversations: createConversationLog({ db }),
    deliveries: createDeliveryLog({ db }),
    feedback: createFeedbackStore({ db }),
    briefings,
    logger,
    maxQuestionChars: config.maxQuestionChars,
  });

  return {
    config,
    logger,
    db,
    library,
    handler,
    briefings,
    embedPassages,
    async close() {
      db.close();
    },
  };
}

/** Adapters whose credentials are configured; the console chat when none are. */
export async function createAdapters(config: Config, logger: Logger, io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; isTTY: boolean }): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (config.slackBotToken) {
    const { createSlackAdapter } = await import('./adapters/slack/app.ts');
    adapters.push(
      createSlackAdapter({
        botToken: config.slackBotToken,
        appToken: config.slackAppToken,
        signingSecret: config.slackSigningSecret,
        port: config.port,
        apiUrl: config.slackApiUrl,
        maxQuestionChars: config.maxQuestionChars,
        logger: logger.child({ adapter: 'slack' }),
      }),
    );
  }
  if (config.discordToken && config.discordApplicationId) {
    const { createDiscordAdapter } = await import('./adapters/discord/client.ts');
    adapters.push(
      createDiscordAdapter({
        token: config.discordToken,
        applicationId: config.discordApplicationId,
        restApiUrl: config.discordRestApiUrl,
        logger: logger.child({ adapter: 'discord' }),
      }),
    );
  }
  if (!adapters.length) {
    adapters.push(
      createConsoleAdapter({
        input: io.stdin as NodeJS.ReadableStream & import('node:stream').Readable,
        output: io.stdout as NodeJS.WritableStream & import('node:stream').Writable,
        interactive: io.isTTY,
      }),
    );
  }
  return adapters;
}

/**
 * `briefbot start`: core, adapters, file watcher and scheduler; shuts down cleanly on SIGINT/SIGTERM
 * (and, for piped console input, when the input ends). Resolves when the bot has stopped.
 */
export async function start(config: Config, logger: Logger): Promise<void> {
  let adapters: ChatAdapter[] = [];
  const core = await createCore(config, logger, { adapters: () => adapters });
  adapters = await createAdapters(config, logger, {
    stdin: process.stdin,
    stdout: process.stdout,
    isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
  const watcher = watchCorpus({ library: core.library, docsDir: config.docsDir, logger });
  const scheduler = createScheduler({
    briefings: core.briefings,
    adapters: adapters.filter((a) => a.platform !== 'console'),
    cron: config.briefingCron,
    timezone: config.briefingTimezone,
    slackChannels: config.briefingSlackChannels,
    discordChannels: config.briefingDiscordChannels,
    graceMinutes: config.briefingGraceMinutes,
    db: core.db,
    logger: logger.child({ component: 'scheduler' }),
  });

  for (const adapter of adapters) await adapter.start(core.handler);
  await scheduler.start();
  logger.info({ adapters: adapters.map((a) => a.platform), model: modelEnabled(config) ? config.openaiModel : 'offline (extractive)' }, 'briefbot is running');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info('Shutting down');
      await scheduler.stop();
      await watcher.close();
      for (const adapter of adapters) await adapter.stop().catch((err) => logger.warn({ err }, 'Adapter stop failed'));
      await core.close();
    })();
    return stopping;
  };
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => void stop().then(resolve));
    process.once('SIGTERM', () => void stop().then(resolve));
    const consoleAdapter = adapters.find((a) => a.platform === 'console') as { closed?: Promise<void> } | undefined;
    consoleAdapter?.closed?.then(() => stop().then(resolve));
  });
}
