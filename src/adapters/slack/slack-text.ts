/**
 * Slack message markup → the plain question text the core expects. Slack sends `<@U…>` for
 * mentions, `<#C…|name>` for channels, `<!here>` for broadcasts, `<url|label>` for links and
 * escapes `&`, `<`, `>` as entities.
 */

/**
 * Removes mentions of the bot (`<@BOTID>` anywhere, plus a leading `@BotName:` style remnant),
 * turns other markup into readable text (`@U…`, `#name`, `@here`, `label (url)`) and decodes
 * entities. Whitespace is collapsed and trimmed.
 */
export function questionFromSlackText(text: string, botUserId?: string): string {
  let out = text;
  if (botUserId) out = out.replace(new RegExp(`<@${botUserId.replace(/\W/g, '')}(\\|[^>]*)?>`, 'g'), ' ');
  out = out.replace(/<([^<>]*)>/g, (_m, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@')) return label ? `@${label}` : target;
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('!')) {
      const name = target.slice(1).split('^')[0] ?? '';
      return label ?? (['here', 'channel', 'everyone'].includes(name) ? `@${name}` : '');
    }
    return label && label !== target ? `${label} (${target})` : target.replace(/^mailto:/, '');
  });
  out = out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return out.replace(/^[\s:,]+/, '').replace(/\s+/g, ' ').trim();
}

/** True when `text` mentions the bot user (`<@BOTID>` or `<@BOTID|name>`). */
export function mentionsBot(text: string | undefined, botUserId: string | undefined): boolean {
  if (!text || !botUserId) return false;
  return text.includes(`<@${botUserId}>`) || text.includes(`<@${botUserId}|`);
}
