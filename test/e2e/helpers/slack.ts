// The Slack adapter built from the core's config with the options src/main.ts `createAdapters` passes,
// plus the test seams every e2e test needs: loopback host and a known bot identity (no auth.test).
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from '../../../src/adapters/slack/app.ts';
import type { E2eCore } from './core.ts';

export function slackAdapterFor(e2e: E2eCore, seams: Partial<SlackAdapterOptions> = {}): SlackAdapter {
  const { config } = e2e;
  return createSlackAdapter({
    botToken: config.slackBotToken!,
    appToken: config.slackAppToken,
    signingSecret: config.slackSigningSecret,
    port: config.port,
    apiUrl: config.slackApiUrl,
    maxQuestionChars: config.maxQuestionChars,
    logger: e2e.core.logger.child({ adapter: 'slack' }),
    host: '127.0.0.1',
    botId: 'B0BRIEF01',
    botUserId: 'U0LAN0Z89',
    ...seams,
  });
}
