/**
 * The language-model contract the core depends on. Implementations live in `src/models/` and are
 * the only code that imports a model SDK.
 */
export interface GenerateRequest {
  /** System prompt: the rules. Never contains document or user text. */
  system: string;
  /** User prompt: the question and the numbered, delimited passages (untrusted data). */
  prompt: string;
  /** Aborts the request (timeouts, shutdown). */
  signal?: AbortSignal;
  /** Upper bound on generated tokens; implementation default when absent. */
  maxTokens?: number;
}

export interface GenerateResult {
  text: string;
  /** Token usage when the server reports it. */
  usage?: { promptTokens: number; completionTokens: number };
}

export interface LanguageModel {
  /** Model name as sent to the server (e.g. `gpt-4o-mini`). */
  readonly modelId: string;
  /** One completion. Rejects with `ModelError` on HTTP errors, timeouts and rate limits (after bounded retries). */
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Streams text deltas in order. Optional; callers fall back to `generate`. */
  stream?(request: GenerateRequest): AsyncIterable<string>;
}

/** Embeddings for hybrid retrieval. */
export interface EmbeddingModel {
  readonly modelId: string;
  /** One vector per input, same order. Rejects with `ModelError` on failure. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
