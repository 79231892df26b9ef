import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths redacted from every log line, wherever a secret could end up. */
export const REDACT_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'apiKey',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.apiKey',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'config.openaiApiKey',
  'config.slackBotToken',
  'config.slackAppToken',
  'config.slackSigningSecret',
  'config.discordToken',
];

/** Secret-looking substrings scrubbed from free-text messages (Slack, Discord and OpenAI tokens). */
const SECRET_PATTERN = /\b(xox[abposr]-[A-Za-z0-9-]{6,}|xapp-[A-Za-z0-9-]{6,}|sk-[A-Za-z0-9_-]{12,}|[MN][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,})\b/g;

/** Replaces anything that looks like a token in a string with `[REDACTED]`. */
export function scrubSecrets(text: string): string {
  return text.replace(SECRET_PATTERN, '[REDACTED]');
}

export interface LoggerOptions {
  /** pino level; default `info`. */
  level?: string;
  /** Where lines go; default stderr (fd 2) so stdout stays clean for `--json` output. */
  destination?: pino.DestinationStream;
  /** Append lines to this file instead (created with its folder); ignored when `destination` is set. */
  file?: string;
}

/** Creates the process logger: JSON lines on stderr, secrets redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
      serializers: { err: pino.stdSerializers.errWithCause },
    },
    options.destination ?? (options.file ? pino.destination({ dest: options.file, mkdir: true, sync: false }) : pino.destination(2)),
  );
}

/** A logger that drops everything (tests, `--json` runs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
