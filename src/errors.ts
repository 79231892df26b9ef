/**
 * One error base class for the whole bot. `code` is stable and machine-readable; `message` is a
 * friendly line fit to show a user; `cause` keeps the underlying error for the logs.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CORPUS_UNREADABLE'
  | 'INDEX_CORRUPT'
  | 'QUESTION_INVALID'
  | 'MODEL_FAILED'
  | 'PLATFORM_FAILED'
  | 'STORE_FAILED'
  | 'USAGE';

export class BriefbotError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BriefbotError';
    this.code = code;
  }
}

/** A configuration value is missing or malformed; the message names the variable and the fix. */
export class ConfigError extends BriefbotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
    this.name = 'ConfigError';
  }
}

/** A question was refused (empty, too long, hostile); the message is the polite refusal. */
export class QuestionError extends BriefbotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('QUESTION_INVALID', message, options);
    this.name = 'QuestionError';
  }
}

/** The language model failed (HTTP error, timeout, rate limit, unusable output). */
export class ModelError extends BriefbotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODEL_FAILED', message, options);
    this.name = 'ModelError';
  }
}

/** The generic line users see when something unexpected fails; details go to the log only. */
export const FRIENDLY_FAILURE = 'Sorry, something went wrong while answering. The team has the details in the log.';

/** The line to show a user for any error: its own message when it is ours, a generic one otherwise. */
export function userMessage(error: unknown): string {
  return error instanceof BriefbotError ? error.message : FRIENDLY_FAILURE;
}
