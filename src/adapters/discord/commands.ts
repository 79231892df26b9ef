/**
 * The slash commands briefbot registers on Discord, and the translation of a received
 * `/brief` interaction into the core's {@link BriefCommand}.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BriefCommand } from '../types.ts';

/** Longest `/ask question:` and `/sources query:` accepted by Discord's client (config default is 1000 too). */
export const MAX_QUERY_CHARS = 1000;

/** Where the commands may be used: servers and the bot's DMs, installed to servers. */
function availability(): Pick<RESTPostAPIChatInputApplicationCommandsJSONBody, 'contexts' | 'integration_types'> {
  return {
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

/**
 * `/ask`, `/brief` (subcommands `show`, `now`, `status`, `subscribe`, `unsubscribe`) and `/sources`,
 * exactly as sent to `PUT /applications/{id}/commands`. Order is the order users see in the picker.
 */
export const COMMANDS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    name: 'ask',
    type: ApplicationCommandType.ChatInput,
    description: 'Ask a question about the documents; the answer cites its sources',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'What you want to know',
        required: true,
        min_length: 1,
        max_length: MAX_QUERY_CHARS,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'private',
        description: 'Show the answer only to you (default: everyone in the channel sees it)',
        required: false,
      },
    ],
    ...availability(),
  },
  {
    name: 'brief',
    type: ApplicationCommandType.ChatInput,
    description: 'The daily briefing: show it, post it now, or schedule it for this channel',
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'show',
        description: 'Show the briefing as it would be posted now',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'now',
        description: 'Post a fresh briefing to this channel now',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'status',
        description: 'When this channel gets its next briefing',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'subscribe',
        description: 'Post briefings to this channel on a schedule (needs Manage Channels)',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'cron',
            description: 'Cron expression, e.g. "0 8 * * 1-5" for weekdays at 08:00',
            required: true,
            max_length: 100,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'timezone',
            description: 'IANA time zone, e.g. Europe/Berlin (default: the bot\'s BRIEFING_TIMEZONE)',
            required: false,
            max_length: 64,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'unsubscribe',
        description: 'Stop scheduled briefings in this channel (needs Manage Channels)',
      },
    ],
    ...availability(),
  },
  {
    name: 'sources',
    type: ApplicationCommandType.ChatInput,
    description: 'List the passages that best match a query, with titles and quotes',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'query',
        description: 'Words to look for',
        required: true,
        min_length: 1,
        max_length: MAX_QUERY_CHARS,
      },
    ],
    ...availability(),
  },
];

/** The subcommands of `/brief` that change the channel's schedule and so need Manage Channels. */
export const SCHEDULE_CHANGING = new Set(['subscribe', 'unsubscribe']);

/** The option accessors of a chat-input interaction that {@link toBriefCommand} needs. */
export interface BriefOptionsReader {
  getSubcommand(required: false): string | null;
  getString(name: string): string | null;
}

/**
 * Translates `/brief <subcommand> …` into a {@link BriefCommand}. A missing or unknown subcommand
 * is `show`; `timezone` is omitted when not given.
 */
export function toBriefCommand(options: BriefOptionsReader): BriefCommand {
  switch (options.getSubcommand(false)) {
    case 'now':
      return { kind: 'now' };
    case 'status':
      return { kind: 'status' };
    case 'unsubscribe':
      return { kind: 'unsubscribe' };
    case 'subscribe': {
      const cron = (options.getString('cron') ?? '').trim();
      const timezone = options.getString('timezone')?.trim();
      return timezone ? { kind: 'subscribe', cron, timezone } : { kind: 'subscribe', cron };
    }
    default:
      return { kind: 'show' };
  }
}
