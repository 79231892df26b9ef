/**
 * `LanguageModel` and `EmbeddingModel` over the official `openai` SDK (v6). Works with OpenAI and with
 * any OpenAI-compatible server (Ollama, vLLM, LM Studio, …) through `baseURL`. This directory is the
 * only place that imports a model SDK.
 */
import OpenAI, {
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  RateLimitError,
} from 'openai';
import type { EmbeddingModel, GenerateRequest, GenerateResult, LanguageModel } from '../core/model.ts';
import { ModelError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** The public OpenAI endpoint, used when no `baseURL` is given (the SDK is never left to read the environment). */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Key sent to compatible servers that need none (only when `baseURL` is set and `apiKey` is not). */
export const PLACEHOLDER_API_KEY = 'not-needed';

export interface OpenAIModelOptions {
  /** `OPENAI_API_KEY`. Optional only when `baseURL` points at a server that needs no key. */
  apiKey?: string;
  /** `OPENAI_BASE_URL`, e.g. `http://127.0.0.1:11434/v1` for Ollama; default {@link OPENAI_DEFAULT_BASE_URL}. */
  baseURL?: string;
  /** Model name as the server knows it (`OPENAI_MODEL`, default `gpt-4o-mini` in config). */
  model: string;
  /** Per-attempt timeout in ms (`OPENAI_TIMEOUT_MS`); for streams, also the longest silence between chunks. */
  timeoutMs: number;
  /** Retries on 408/409/429/5xx and connection errors, with the SDK's backoff (`OPENAI_MAX_RETRIES`). */
  maxRetries: number;
  logger: Logger;
  /** Custom fetch (proxies, tests); default the global fetch. */
  fetch?: typeof fetch;
  /** Completion token cap when a request sets none; default 800. */
  maxTokens?: number;
  /** Sampling temperature; omitted from requests when undefined (some models accept only their default). */
  temperature?: number;
  /**
   * Hard ceiling for one call including retries and their back-off, in ms. Default
   * `timeoutMs * (maxRetries + 1) + 8000 * maxRetries`, so a server's long `Retry-After` cannot hang an answer.
   */
  deadlineMs?: number;
}

/** Creates the SDK client with explicit settings (never from the environment). */
export function createOpenAIClient(options: OpenAIModelOptions): OpenAI {
  if (!options.apiKey && !options.baseURL) {
    throw new ModelError('The language model needs OPENAI_API_KEY, or OPENAI_BASE_URL for a compatible server.');
  }
  const log = options.logger;
  return new OpenAI({
    apiKey: options.apiKey ?? PLACEHOLDER_API_KEY,
    baseURL: options.baseURL ?? OPENAI_DEFAULT_BASE_URL,
    organization: null,
    project: null,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    logLevel: 'warn',
    logger: {
      error: (msg: string) => log.error({ component: 'openai-sdk' }, msg),
      warn: (msg: string) => log.warn({ component: 'openai-sdk' }, msg),
      info: (msg: string) => log.debug({ component: 'openai-sdk' }, msg),
      debug: () => {},
    },
  });
}

/** A `LanguageModel` over chat completions, with streaming. Errors reject as `ModelError` with the cause kept. */
export function createOpenAIModel(options: OpenAIModelOptions): LanguageModel {
  const client = createOpenAIClient(options);
  const { logger, model } = options;
  const deadlineMs = options.deadlineMs ?? options.timeoutMs * (options.maxRetries + 1) + 8000 * options.maxRetries;

  const body = (request: GenerateRequest) => ({
    model,
    messages: [
      { role: 'system' as const, content: request.system },
      { role: 'user' as const, content: request.prompt },
    ],
    max_tokens: request.maxTokens ?? options.maxTokens ?? 800,
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  });

  const logUsage = (started: number, usage: GenerateResult['usage'], streamed: boolean): void => {
    logger.info(
      { model, promptTokens: usage?.promptTokens, completionTokens: usage?.completionTokens, ms: Date.now() - started, streamed },
      'model call',
    );
  };

  return {
    modelId: model,

    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const started = Date.now();
      const guard = createGuard(request.signal, deadlineMs);
      try {
        const completion = await guard.race(client.chat.completions.create(body(request), { signal: guard.signal }));
        const text = completion?.choices?.[0]?.message?.content;
        if (typeof text !== 'string' || !text.trim()) {
          throw new ModelError('The language model returned no text.', { cause: new Error('empty or malformed completion') });
        }
        const usage = completion.usage
          ? { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }
          : undefined;
        logUsage(started, usage, false);
        return usage ? { text, usage } : { text };
      } catch (error) {
        throw toModelError(error, guard.reason());
      } finally {
        guard.dispose();
      }
    },

    async *stream(request: GenerateRequest): AsyncIterable<string> {
      const started = Date.now();
      const guard = createGuard(request.signal, deadlineMs);
      let usage: GenerateResult['usage'];
      let produced = false;
      try {
        const stream = await guard.race(
          client.chat.completions.create(
            { ...body(request), stream: true, stream_options: { include_usage: true } },
            { signal: guard.signal },
          ),
        );
        const iterator = stream[Symbol.asyncIterator]();
        for (;;) {
          const step = await guard.race(iterator.next(), options.timeoutMs);
          if (step.done) break;
          const chunk = step.value;
          if (chunk.usage) {
            usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
          }
          const delta = chunk.choices?.[0]?.delta?.content;
          if (typeof delta === 'string' && delta.length > 0) {
            produced = true;
            yield delta;
          }
        }
        if (!produced) {
          throw new ModelError('The language model returned no text.', { cause: new Error('empty stream') });
        }
        logUsage(started, usage, true);
      } catch (error) {
        throw toModelError(error, guard.reason());
      } finally {
        guard.dispose();
      }
    },
  };
}

/**
 * An `EmbeddingModel` over `/embeddings`. Requests `encoding_format: 'float'` explicitly: compatible servers do
 * not all honour the SDK's default base64 encoding.
 */
export function createOpenAIEmbeddings(options: OpenAIModelOptions & { model: string }): EmbeddingModel {
  const client = createOpenAIClient(options);
  const { logger, model } = options;
  const deadlineMs = options.deadlineMs ?? options.timeoutMs * (options.maxRetries + 1) + 8000 * options.maxRetries;
  return {
    modelId: model,
    async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
      if (texts.length === 0) return [];
      const started = Date.now();
      const guard = createGuard(signal, deadlineMs);
      try {
        const response = await guard.race(client.embeddings.create({ model, input: texts, encoding_format: 'float' }, { signal: guard.signal }));
        const rows = [...(response?.data ?? [])].sort((a, b) => a.index - b.index);
        if (rows.length !== texts.length || rows.some((r) => !Array.isArray(r.embedding) || r.embedding.length === 0)) {
          throw new ModelError('The embedding model returned malformed vectors.', {
            cause: new Error(`expected ${texts.length} vectors, got ${rows.length}`),
          });
        }
        logger.info({ model, inputs: texts.length, promptTokens: response.usage?.prompt_tokens, ms: Date.now() - started }, 'embedding call');
        return rows.map((r) => Float32Array.from(r.embedding));
      } catch (error) {
        throw toModelError(error, guard.reason());
      } finally {
        guard.dispose();
      }
    },
  };
}

type StopReason = 'deadline' | 'idle' | 'aborted' | undefined;

interface Guard {
  readonly signal: AbortSignal;
  /** Rejects as soon as the call is aborted, even while the SDK sleeps between retries; `idleMs` arms an idle timer. */
  race<T>(promise: Promise<T>, idleMs?: number): Promise<T>;
  reason(): StopReason;
  dispose(): void;
}

/** Combines the caller's signal with a hard deadline (and an optional per-step idle timer). */
function createGuard(outer: AbortSignal | undefined, deadlineMs: number): Guard {
  const controller = new AbortController();
  let stop: StopReason;
  const abort = (why: StopReason): void => {
    if (controller.signal.aborted) return;
    stop = why;
    controller.abort(new Error(`model call stopped: ${why}`));
  };
  const onOuter = (): void => abort('aborted');
  if (outer?.aborted) abort('aborted');
  else outer?.addEventListener('abort', onOuter, { once: true });
  const deadline = setTimeout(() => abort('deadline'), deadlineMs);
  deadline.unref?.();
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => {});
  return {
    signal: controller.signal,
    race<T>(promise: Promise<T>, idleMs?: number): Promise<T> {
      // The SDK's promise may settle after we stop waiting for it; its rejection is not news.
      promise.catch(() => {});
      if (controller.signal.aborted) return Promise.reject(controller.signal.reason);
      const idle = idleMs ? setTimeout(() => abort('idle'), idleMs) : undefined;
      return Promise.race([promise, aborted]).finally(() => clearTimeout(idle));
    },
    reason: () => stop,
    dispose(): void {
      clearTimeout(deadline);
      outer?.removeEventListener('abort', onOuter);
      if (!controller.signal.aborted) controller.abort(new Error('model call finished'));
    },
  };
}

/** Maps SDK and transport errors to a `ModelError` with a short reason; the original stays as `cause`. */
export function toModelError(error: unknown, stop?: StopReason): ModelError {
  if (error instanceof ModelError) return error;
  if (stop === 'aborted' || (error instanceof APIUserAbortError && stop === undefined)) {
    return new ModelError('The language model request was cancelled.', { cause: error });
  }
  if (stop === 'deadline' || stop === 'idle' || error instanceof APIConnectionTimeoutError) {
    return new ModelError('The language model timed out.', { cause: error });
  }
  if (error instanceof RateLimitError) {
    return new ModelError('The language model is rate limited right now.', { cause: error });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    return new ModelError(`The language model failed with HTTP ${error.status}.`, { cause: error });
  }
  if (error instanceof APIError) {
    return new ModelError('The language model could not be reached.', { cause: error });
  }
  return new ModelError('The language model returned something unusable.', { cause: error });
}
