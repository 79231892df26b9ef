import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../logger.ts';

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/**
 * Bolt's logger interface over our pino logger, so Bolt, the Web API client and the Socket Mode
 * client log as JSON lines with secrets redacted. The level follows the pino logger;
 * `setLevel`/`setName` from Bolt are ignored.
 */
export function boltLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack-sdk' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error', msgs: unknown[]): void => {
    const err = msgs.find((m) => m instanceof Error);
    const text = msgs.filter((m) => !(m instanceof Error)).map((m) => (typeof m === 'string' ? m : safeJson(m))).join(' ');
    if (err) child[level]({ err }, text);
    else child[level](text);
  };
  return {
    debug: (...msgs) => write('debug', msgs),
    info: (...msgs) => write('info', msgs),
    warn: (...msgs) => write('warn', msgs),
    error: (...msgs) => write('error', msgs),
    setLevel: () => {},
    getLevel: () => LEVELS[child.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
