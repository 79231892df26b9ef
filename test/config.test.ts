import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';
import { createLogger } from '../src/logger.ts';

const load = (env: Record<string, string>) => loadConfig({ env, cwd: '/srv/bot' });

describe('loadConfig', () => {
  it('has working offline defaults', () => {
    const c = load({});
    expect(c).toMatchObject({
      docsDir: '/srv/bot/docs-corpus',
      dataDir: '/srv/bot/.data',
      logLevel: 'info',
      openaiModel: 'gpt-4o-mini',
      briefingCron: '0 8 * * 1-5',
      briefingTimezone: 'UTC',
      port: 3000,
    });
    expect(c.openaiApiKey).toBeUndefined();
    expect(c.slackBotToken).toBeUndefined();
  });

  it('names the variable and the fix for malformed values', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL="loud" is not a level/],
      [{ PORT: 'eighty' }, /PORT="eighty" must be a whole number/],
      [{ BRIEFING_CRON: '99 * * *' }, /BRIEFING_CRON="99 \* \* \*" is not a cron expression/],
      [{ BRIEFING_TIMEZONE: 'Mars/Olympus' }, /BRIEFING_TIMEZONE="Mars\/Olympus" is not an IANA time zone/],
      [{ OPENAI_BASE_URL: 'localhost:11434' }, /OPENAI_BASE_URL="localhost:11434" is not an http\(s\) URL/],
      [{ SLACK_BOT_TOKEN: 'xoxp-123', SLACK_APP_TOKEN: 'xapp-1' }, /SLACK_BOT_TOKEN must be a bot token starting with "xoxb-"/],
      [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /neither SLACK_APP_TOKEN .* nor SLACK_SIGNING_SECRET/],
      [{ DISCORD_TOKEN: 'abc' }, /needs both DISCORD_TOKEN and DISCORD_APPLICATION_ID/],
      [{ DISCORD_TOKEN: 'abc', DISCORD_APPLICATION_ID: 'my-app' }, /DISCORD_APPLICATION_ID="my-app" must be a numeric Discord id/],
      [{ BRIEFING_SLACK_CHANNELS: 'C1' }, /BRIEFING_SLACK_CHANNELS is set but Slack is not configured/],
      [{ SLACK_SIGNIN_SECRET: 'x' }, /SLACK_SIGNIN_SECRET is not a briefbot setting. Did you mean SLACK_SIGNING_SECRET\?/],
    ];
    for (const [env, message] of cases) {
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow(message);
    }
  });

  it('parses channel lists and the Slack mode settings', () => {
    const c = load({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', BRIEFING_SLACK_CHANNELS: 'C1, C2,,', BRIEFING_TIMEZONE: 'America/New_York' });
    expect(c.briefingSlackChannels).toEqual(['C1', 'C2']);
    expect(c.slackAppToken).toBe('xapp-1');
    expect(c.briefingTimezone).toBe('America/New_York');
  });
});

describe('logger', () => {
  it('redacts tokens in fields and in messages', () => {
    let out = '';
    const destination = new Writable({
      write(chunk, _e, done) {
        out += String(chunk);
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.info({ token: 'xoxb-1234567890-abcdef', config: { openaiApiKey: 'sk-live-abcdefghijklmnop' } }, 'connecting with xapp-1-A0123-456789abcdef');
    expect(out).not.toContain('xoxb-1234567890');
    expect(out).not.toContain('sk-live-abcdefghijklmnop');
    expect(out).not.toContain('xapp-1-A0123');
    expect(out).toContain('[REDACTED]');
  });
});
