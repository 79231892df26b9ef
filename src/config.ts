import { existsSync } from 'node:fs';
import path from 'node:path';
import { validate as validateCron } from 'node-cron';
import { ConfigError } from './errors.ts';

/** Validated configuration. The only place that reads `process.env` is {@link loadConfig}. */
export interface Config {
  /** Corpus folder (`DOCS_DIR`, default `./docs-corpus`), absolute. */
  docsDir: string;
  /** Durable state and index folder (`DATA_DIR`, default `./.data`), absolute. */
  dataDir: string;
  /** pino level (`LOG_LEVEL`, default `info`). */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Longest question accepted, in characters (`MAX_QUESTION_CHARS`, default 1000). */
  maxQuestionChars: number;

  /** `OPENAI_API_KEY`; with it (or `OPENAI_BASE_URL`) answers are written by the model. */
  openaiApiKey?: string;
  /** `OPENAI_BASE_URL`: any OpenAI-compatible server (Ollama, vLLM, …). */
  openaiBaseUrl?: string;
  /** `OPENAI_MODEL`, default `gpt-4o-mini`. */
  openaiModel: string;
  /** `OPENAI_EMBEDDING_MODEL`: enables hybrid retrieval when set. */
  openaiEmbeddingModel?: string;
  /** `OPENAI_TIMEOUT_MS`, default 30000. */
  openaiTimeoutMs: number;
  /** `OPENAI_MAX_RETRIES` on 429/5xx, default 2. */
  openaiMaxRetries: number;
  /** `MODEL_MAX_CONTEXT_CHARS`: passages sent to the model are trimmed to this budget, default 12000. */
  modelMaxContextChars: number;

  /** `SLACK_BOT_TOKEN` (xoxb-…). */
  slackBotToken?: string;
  /** `SLACK_APP_TOKEN` (xapp-…): Socket Mode, the default. */
  slackAppToken?: string;
  /** `SLACK_SIGNING_SECRET`: HTTP mode when no app token is set. */
  slackSigningSecret?: string;
  /** `SLACK_API_URL`: Web API base override (proxies, tests), e.g. `https://slack.com/api/`. */
  slackApiUrl?: string;
  /** `PORT` for Slack HTTP mode, default 3000. */
  port: number;

  /** `DISCORD_TOKEN`. */
  discordToken?: string;
  /** `DISCORD_APPLICATION_ID`. */
  discordApplicationId?: string;
  /** `DISCORD_GUILD_ID`: development guild for instant command registration. */
  discordGuildId?: string;
  /** `DISCORD_REST_API_URL`: REST base override (proxies, tests), e.g. `http://127.0.0.1:8080/api`. */
  discordRestApiUrl?: string;

  /** `BRIEFING_CRON`, default `0 8 * * 1-5` (weekdays 08:00). */
  briefingCron: string;
  /** `BRIEFING_TIMEZONE` (IANA), default `UTC`. */
  briefingTimezone: string;
  /** `BRIEFING_SLACK_CHANNELS`: comma-separated channel ids. */
  briefingSlackChannels: string[];
  /** `BRIEFING_DISCORD_CHANNELS`: comma-separated channel ids. */
  briefingDiscordChannels: string[];
  /** `BRIEFING_GRACE_MINUTES`: a slot missed while down is posted at start-up within this window, default 120. */
  briefingGraceMinutes: number;
}

type Env = Record<string, string | undefined>;

/** Every variable briefbot understands, for the unknown-variable check and `.env.example`. */
export const KNOWN_VARIABLES = [
  'DOCS_DIR', 'DATA_DIR', 'LOG_LEVEL', 'MAX_QUESTION_CHARS',
  'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_MODEL', 'OPENAI_EMBEDDING_MODEL', 'OPENAI_TIMEOUT_MS',
  'OPENAI_MAX_RETRIES', 'MODEL_MAX_CONTEXT_CHARS',
  'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_API_URL', 'PORT',
  'DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_REST_API_URL',
  'BRIEFING_CRON', 'BRIEFING_TIMEZONE', 'BRIEFING_SLACK_CHANNELS', 'BRIEFING_DISCORD_CHANNELS',
  'BRIEFING_GRACE_MINUTES',
] as const;

/** Prefixes that are ours alone: an unknown variable with one of them is almost surely a typo. */
const OWNED_PREFIXES = ['BRIEFING_', 'BRIEFBOT_', 'SLACK_', 'DISCORD_'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LoadConfigOptions {
  /** Variables to read; default `process.env`. */
  env?: Env;
  /** Base for relative paths; default `process.cwd()`. */
  cwd?: string;
  /** Load `.env` from `cwd` first when it exists (never overriding set variables); default true with `process.env`. */
  dotenv?: boolean;
}

/**
 * Reads and validates the configuration once. Throws {@link ConfigError} naming the variable and
 * how to fix it when a value is malformed or a required companion is missing.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  if (!options.env && options.dotenv !== false) {
    const file = path.join(cwd, '.env');
    if (existsSync(file)) process.loadEnvFile(file);
  }
  const env: Env = options.env ?? process.env;
  const str = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  for (const name of Object.keys(env)) {
    if (OWNED_PREFIXES.some((p) => name.startsWith(p)) && !(KNOWN_VARIABLES as readonly string[]).includes(name)) {
      throw new ConfigError(`${name} is not a briefbot setting. Did you mean ${closest(name)}? See .env.example.`);
    }
  }

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(`${name}="${raw}" must be a whole number from ${min} to ${max}.`);
    }
    return n;
  };
  const url = (name: string): string | undefined => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    } catch (cause) {
      throw new ConfigError(`${name}="${raw}" is not an http(s) URL, e.g. https://example.com/v1.`, { cause });
    }
    return raw;
  };
  const list = (name: string): string[] =>
    (str(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const prefixed = (name: string, prefix: string, what: string): string | undefined => {
    const v = str(name);
    if (v !== undefined && !v.startsWith(prefix)) {
      throw new ConfigError(`${name} must be ${what} starting with "${prefix}". Copy it from the app's settings page.`);
    }
    return v;
  };

  const logLevel = str('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL="${logLevel}" is not a level; use one of ${LOG_LEVELS.join(', ')}.`);
  }

  const briefingCron = str('BRIEFING_CRON') ?? '0 8 * * 1-5';
  if (!validateCron(briefingCron)) {
    throw new ConfigError(`BRIEFING_CRON="${briefingCron}" is not a cron expression, e.g. "0 8 * * 1-5" (weekdays 08:00).`);
  }
  const briefingTimezone = str('BRIEFING_TIMEZONE') ?? 'UTC';
  if (!isTimeZone(briefingTimezone)) {
    throw new ConfigError(`BRIEFING_TIMEZONE="${briefingTimezone}" is not an IANA time zone, e.g. America/New_York.`);
  }

  const config: Config = {
    docsDir: path.resolve(cwd, str('DOCS_DIR') ?? './docs-corpus'),
    dataDir: path.resolve(cwd, str('DATA_DIR') ?? './.data'),
    logLevel: logLevel as Config['logLevel'],
    maxQuestionChars: int('MAX_QUESTION_CHARS', 1000, 20, 6000),
    openaiApiKey: str('OPENAI_API_KEY'),
    openaiBaseUrl: url('OPENAI_BASE_URL'),
    openaiModel: str('OPENAI_MODEL') ?? 'gpt-4o-mini',
    openaiEmbeddingModel: str('OPENAI_EMBEDDING_MODEL'),
    openaiTimeoutMs: int('OPENAI_TIMEOUT_MS', 30_000, 1000, 600_000),
    openaiMaxRetries: int('OPENAI_MAX_RETRIES', 2, 0, 10),
    modelMaxContextChars: int('MODEL_MAX_CONTEXT_CHARS', 12_000, 1000, 400_000),
    slackBotToken: prefixed('SLACK_BOT_TOKEN', 'xoxb-', 'a bot token'),
    slackAppToken: prefixed('SLACK_APP_TOKEN', 'xapp-', 'an app-level token'),
    slackSigningSecret: str('SLACK_SIGNING_SECRET'),
    slackApiUrl: url('SLACK_API_URL'),
    port: int('PORT', 3000, 0, 65535),
    discordToken: str('DISCORD_TOKEN'),
    discordApplicationId: snowflake(str('DISCORD_APPLICATION_ID'), 'DISCORD_APPLICATION_ID'),
    discordGuildId: snowflake(str('DISCORD_GUILD_ID'), 'DISCORD_GUILD_ID'),
    discordRestApiUrl: url('DISCORD_REST_API_URL'),
    briefingCron,
    briefingTimezone,
    briefingSlackChannels: list('BRIEFING_SLACK_CHANNELS'),
    briefingDiscordChannels: list('BRIEFING_DISCORD_CHANNELS'),
    briefingGraceMinutes: int('BRIEFING_GRACE_MINUTES', 120, 0, 7 * 24 * 60),
  };

  if (config.slackBotToken && !config.slackAppToken && !config.slackSigningSecret) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is. Set one of them.',
    );
  }
  if ((config.slackAppToken || config.slackSigningSecret) && !config.slackBotToken) {
    throw new ConfigError('SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set without SLACK_BOT_TOKEN (xoxb-…). Set it too.');
  }
  if (Boolean(config.discordToken) !== Boolean(config.discordApplicationId)) {
    throw new ConfigError('Discord needs both DISCORD_TOKEN and DISCORD_APPLICATION_ID; one of them is missing.');
  }
  if (config.briefingSlackChannels.length && !config.slackBotToken) {
    throw new ConfigError('BRIEFING_SLACK_CHANNELS is set but Slack is not configured (SLACK_BOT_TOKEN).');
  }
  if (config.briefingDiscordChannels.length && !config.discordToken) {
    throw new ConfigError('BRIEFING_DISCORD_CHANNELS is set but Discord is not configured (DISCORD_TOKEN).');
  }
  return config;
}

/** True when the model path is enabled (a key, or a compatible server that may not need one). */
export function modelEnabled(config: Config): boolean {
  return Boolean(config.openaiApiKey || config.openaiBaseUrl);
}

/** True for IANA zone names this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function snowflake(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !/^\d{15,21}$/.test(value)) {
    throw new ConfigError(`${name}="${value}" must be a numeric Discord id (Developer Portal → General Information).`);
  }
  return value;
}

function closest(name: string): string {
  let best: string = KNOWN_VARIABLES[0];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const known of KNOWN_VARIABLES) {
    const d = editDistance(name, known);
    if (d < bestDistance) {
      bestDistance = d;
      best = known;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const temp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = temp;
    }
  }
  return row[b.length] ?? 0;
}
