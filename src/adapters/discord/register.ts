/**
 * Idempotent slash-command registration (`npx briefbot discord-register [--guild ID]`): reads the
 * commands Discord has, compares them with {@link COMMANDS}, and bulk-overwrites (one PUT) only
 * when something differs. Guild commands update instantly (development); global ones can take a
 * while to reach every client (production).
 */
import {
  type APIApplicationCommand,
  DiscordAPIError,
  REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import { BriefbotError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { COMMANDS } from './commands.ts';

/** Options for {@link registerCommands}. */
export interface RegisterCommandsOptions {
  /** Bot token (`DISCORD_TOKEN`). */
  token: string;
  /** Application id (`DISCORD_APPLICATION_ID`). */
  applicationId: string;
  /** Register in this guild only (instant; for development). Global when absent. */
  guildId?: string;
  /** REST base override (`DISCORD_REST_API_URL`), e.g. `http://127.0.0.1:8080/api`. */
  restApiUrl?: string;
  logger?: Logger;
  /** The commands to register; default {@link COMMANDS}. */
  commands?: RESTPostAPIChatInputApplicationCommandsJSONBody[];
}

/** What a registration changed, by command name, each list in the order of the desired commands. */
export interface RegisterResult {
  scope: 'guild' | 'global';
  created: string[];
  updated: string[];
  unchanged: string[];
  deleted: string[];
}

/** Fields Discord adds to a stored command that are not part of its definition. */
const SERVER_FIELDS = new Set([
  'id',
  'application_id',
  'version',
  'guild_id',
  'dm_permission',
  'name_localized',
  'description_localized',
  'handler',
]);

/** Values Discord treats as "not set" (and may omit or fill in when returning a command). */
function isUnset(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** True when the stored value `have` says the same as the definition `want`. */
function same(want: unknown, have: unknown): boolean {
  if (isUnset(want) || isUnset(have)) return isUnset(want) && isUnset(have);
  if (Array.isArray(want)) {
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => same(w, have[i]));
  }
  if (typeof want === 'object' && want !== null) {
    if (typeof have !== 'object' || have === null || Array.isArray(have)) return false;
    const w = want as Record<string, unknown>;
    const h = have as Record<string, unknown>;
    const keys = new Set([...Object.keys(w), ...Object.keys(h)].filter((k) => !SERVER_FIELDS.has(k)));
    return [...keys].every((k) => same(w[k], h[k]));
  }
  return want === have;
}

/** A command's identity: names are unique per command type. */
function keyOf(command: { name: string; type?: number }): string {
  return `${command.type ?? 1}:${command.name}`;
}

/** Turns REST failures into errors that say what to fix. */
function explain(cause: unknown, options: RegisterCommandsOptions): BriefbotError {
  const status = cause instanceof DiscordAPIError ? cause.status : undefined;
  if (status === 401) {
    return new BriefbotError('PLATFORM_FAILED', 'Discord rejected DISCORD_TOKEN. Reset it under Developer Portal → your app → Bot.', { cause });
  }
  if (status === 403 && options.guildId) {
    return new BriefbotError(
      'PLATFORM_FAILED',
      `No access to guild ${options.guildId}: invite the bot there with the applications.commands scope (see docs/discord-setup.md).`,
      { cause },
    );
  }
  if (status === 404 || status === 403) {
    return new BriefbotError('PLATFORM_FAILED', `Discord does not know application ${options.applicationId}: check DISCORD_APPLICATION_ID.`, { cause });
  }
  return new BriefbotError('PLATFORM_FAILED', 'Could not register the Discord slash commands.', { cause });
}

/**
 * Registers the slash commands idempotently: GET the current commands, compare, and PUT the full
 * list only when a command is new, changed or no longer wanted. Rejects with a
 * `PLATFORM_FAILED` {@link BriefbotError} whose message says how to fix the setup.
 */
export async function registerCommands(options: RegisterCommandsOptions): Promise<RegisterResult> {
  const commands = options.commands ?? COMMANDS;
  const rest = new REST(options.restApiUrl ? { api: options.restApiUrl } : {}).setToken(options.token);
  const scope = options.guildId ? 'guild' : 'global';
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);

  try {
    const existing = (await rest.get(route)) as APIApplicationCommand[];
    const byKey = new Map(existing.map((c) => [keyOf(c), c]));
    const wanted = new Set(commands.map(keyOf));
    const result: RegisterResult = { scope, created: [], updated: [], unchanged: [], deleted: [] };
    for (const command of commands) {
      const current = byKey.get(keyOf(command));
      if (!current) result.created.push(command.name);
      else if (same({ type: 1, ...command }, current)) result.unchanged.push(command.name);
      else result.updated.push(command.name);
    }
    result.deleted = existing.filter((c) => !wanted.has(keyOf(c))).map((c) => c.name);

    if (result.created.length + result.updated.length + result.deleted.length > 0) {
      await rest.put(route, { body: commands });
    }
    options.logger?.info({ ...result, guildId: options.guildId }, 'discord: slash commands registered');
    return result;
  } catch (cause) {
    throw explain(cause, options);
  }
}
