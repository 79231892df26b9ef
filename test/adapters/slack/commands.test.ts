import { describe, expect, it } from 'vitest';
import { parseAsk, parseBrief } from '../../../src/adapters/slack/commands.ts';
import { channelRef, parseRef, threadRef } from '../../../src/adapters/slack/refs.ts';
import { questionFromSlackText } from '../../../src/adapters/slack/slack-text.ts';

describe('parseBrief', () => {
  it('parses every subcommand', () => {
    expect(parseBrief('')).toEqual({ ok: true, value: { kind: 'show' } });
    expect(parseBrief(' NOW ')).toEqual({ ok: true, value: { kind: 'now' } });
    expect(parseBrief('status')).toEqual({ ok: true, value: { kind: 'status' } });
    expect(parseBrief('unsubscribe')).toEqual({ ok: true, value: { kind: 'unsubscribe' } });
    expect(parseBrief('subscribe 0 8 * * 1-5')).toEqual({ ok: true, value: { kind: 'subscribe', cron: '0 8 * * 1-5' } });
    expect(parseBrief('subscribe “0 8 * * 1-5” America/New_York')).toEqual({ ok: true, value: { kind: 'subscribe', cron: '0 8 * * 1-5', timezone: 'America/New_York' } });
    expect(parseBrief('subscribe 0 0 8 * * MON UTC')).toEqual({ ok: true, value: { kind: 'subscribe', cron: '0 0 8 * * MON', timezone: 'UTC' } });
  });

  it('gives usage for bad input', () => {
    expect(parseBrief('subscribe 8am')).toMatchObject({ ok: false, usage: expect.stringContaining('cron expression of 5 fields') });
    expect(parseBrief('status please')).toMatchObject({ ok: false, usage: expect.stringContaining('takes no arguments') });
    expect(parseBrief('weekly')).toMatchObject({ ok: false, usage: expect.stringContaining('Unknown `/brief weekly`') });
  });
});

describe('parseAsk', () => {
  it('accepts up to the limit and refuses empty or longer input', () => {
    expect(parseAsk('  what happened?  ')).toEqual({ ok: true, value: 'what happened?' });
    expect(parseAsk('x'.repeat(1000))).toMatchObject({ ok: true });
    expect(parseAsk('x'.repeat(1001))).toMatchObject({ ok: false, usage: expect.stringContaining('1001 characters; the limit is 1000') });
    expect(parseAsk('')).toMatchObject({ ok: false, usage: expect.stringContaining('Usage') });
  });
});

describe('conversation refs', () => {
  it('are stable strings that round-trip', () => {
    expect(threadRef('C123ABC456', '1515449522.000016')).toEqual({ platform: 'slack', id: 'C123ABC456:1515449522.000016' });
    expect(parseRef(threadRef('C123ABC456', '1515449522.000016'))).toEqual({ channel: 'C123ABC456', threadTs: '1515449522.000016' });
    expect(parseRef(channelRef('D024BE91L'))).toEqual({ channel: 'D024BE91L' });
    expect(() => parseRef({ platform: 'discord', id: '123' })).toThrow(/Not a Slack conversation/);
    expect(() => channelRef('#general')).toThrow(/not a Slack channel id/);
  });
});

describe('questionFromSlackText', () => {
  it('strips the bot mention and turns markup into readable text', () => {
    expect(questionFromSlackText('<@U0LAN0Z89> is it everything a river should be?', 'U0LAN0Z89')).toBe('is it everything a river should be?');
    expect(questionFromSlackText('<@U0LAN0Z89|briefbot>: what did <@U123> say in <#C1|general> about <https://x.example/a|the memo> &amp; &lt;tags&gt;?', 'U0LAN0Z89'))
      .toBe('what did @U123 say in #general about the memo (https://x.example/a) & <tags>?');
    expect(questionFromSlackText('<!here> any news?', 'U0LAN0Z89')).toBe('@here any news?');
  });
});
