import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderAnswerText, renderBriefingText } from './adapters/console/format.ts';
import { type Config, loadConfig } from './config.ts';
import { BriefbotError } from './errors.ts';
import { runEval } from './eval.ts';
import { createLogger, type Logger } from './logger.ts';
import { createCore, PROJECT_ROOT, start } from './main.ts';

const USAGE = `briefbot — answers questions from your documents in Slack, Discord or the terminal.

Usage:
  briefbot start                          run every configured adapter (console chat when none) + scheduler
  briefbot ask "<question>" [--json] [--corpus DIR]
  briefbot brief [--json] [--all] [--corpus DIR]
  briefbot index [--corpus DIR]           build and persist the index
  briefbot eval --passages F --questions F [--json] [--limit N]
  briefbot bench                          retrieval benchmark (same as npm run bench)
  briefbot discord-register [--guild ID]  register the Discord slash commands
Configuration comes from the environment or .env (see .env.example).`;

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Runs one CLI command; resolves to the process exit code (0 on success). */
export async function runCli(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  const out = (text: string): void => {
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        corpus: { type: 'string' },
        all: { type: 'boolean', default: false },
        passages: { type: 'string' },
        questions: { type: 'string' },
        limit: { type: 'string' },
        guild: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (!command || command === 'help' || command === '--help' || command === '-h' || values.help) {
      out(USAGE);
      return command ? 0 : 2;
    }
    const config = (): Config => {
      const env = io.env ? { ...io.env } : undefined;
      const c = loadConfig({ env, cwd: io.cwd });
      if (values.corpus) c.docsDir = path.resolve(io.cwd ?? process.cwd(), values.corpus);
      return c;
    };
    const logger = (c: Config, quiet = false): Logger => createLogger({ level: quiet && c.logLevel === 'info' ? 'warn' : c.logLevel });

    switch (command) {
      case 'start': {
        const c = config();
        // The interactive console chat keeps the terminal for the conversation; logs go to a file.
        const chatOnTerminal = !c.slackBotToken && !c.discordToken && process.stdin.isTTY && process.stdout.isTTY;
        if (chatOnTerminal) {
          const file = path.join(c.dataDir, 'briefbot.log');
          io.stderr.write(`Logs: ${path.relative(process.cwd(), file) || file}\n`);
          await start(c, createLogger({ level: c.logLevel, file }));
        } else await start(c, logger(c));
        return 0;
      }
      case 'ask': {
        const question = positionals.join(' ');
        if (!question.trim()) throw new BriefbotError('USAGE', 'usage: briefbot ask "<question>" [--json] [--corpus DIR]');
        const c = config();
        const core = await createCore(c, logger(c, true), { ephemeralState: true });
        try {
          const answer = await core.handler.ask({ text: question, conversation: { platform: 'console', id: 'cli' } });
          if (values.json) {
            out(
              JSON.stringify({
                question: answer.question,
                answer: answer.markdown,
                found: answer.found,
                mode: answer.mode,
                confidence: answer.confidence,
                ...(answer.note ? { note: answer.note } : {}),
                citations: answer.citations,
              }),
            );
          } else out(renderAnswerText(answer));
        } finally {
          await core.close();
        }
        return 0;
      }
      case 'brief': {
        const c = config();
        const core = await createCore(c, logger(c, true), { ephemeralState: true });
        try {
          const briefing = await core.briefings.build(undefined, { all: values.all });
          out(values.json ? JSON.stringify(briefing) : renderBriefingText(briefing));
        } finally {
          await core.close();
        }
        return 0;
      }
      case 'index': {
        const c = config();
        const bar = io.stderr === process.stderr && process.stderr.isTTY ? progressBar(io.stderr) : undefined;
        const started = performance.now();
        const core = await createCore(c, logger(c, true), { onProgress: bar, ephemeralState: true });
        const snap = core.library.snapshot();
        try {
          if (bar) io.stderr.write('\n');
          out(
            `Indexed ${snap.documents.length} document(s) into ${core.library.index.passageCount} passages in ${Math.round(performance.now() - started)} ms; ${snap.skipped.length} file(s) skipped.`,
          );
          if (core.embedPassages) {
            const embedded = await core.embedPassages();
            out(`Embeddings: ${embedded.embedded} new, ${embedded.passages - embedded.embedded} from the cache.`);
          }
        } finally {
          await core.close();
        }
        for (const s of snap.skipped) out(`  skipped ${s.path}: ${s.reason}`);
        return 0;
      }
      case 'eval': {
        if (!values.passages || !values.questions) {
          throw new BriefbotError('USAGE', 'usage: briefbot eval --passages F --questions F [--json] [--limit N]');
        }
        const limit = values.limit ? Number(values.limit) : undefined;
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new BriefbotError('USAGE', '--limit must be a positive whole number');
        const result = await runEval({ passagesFile: values.passages, questionsFile: values.questions, limit });
        if (values.json) out(JSON.stringify(result));
        else {
          out(`queries ${result.queries}  hit@1 ${result.hitAt1.toFixed(3)}  hit@5 ${result.hitAt5.toFixed(3)}  MRR@10 ${result.mrrAt10.toFixed(3)}`);
          out(`answerHit ${result.answerHit.toFixed(3)}  ms/query p50 ${result.msPerQueryP50.toFixed(2)}  p99 ${result.msPerQueryP99.toFixed(2)}`);
        }
        return 0;
      }
      case 'bench': {
        return await new Promise<number>((resolve) => {
          const child = spawn(process.execPath, ['--expose-gc', path.join(PROJECT_ROOT, 'bin/run-ts.js'), path.join(PROJECT_ROOT, 'bench/retrieval.bench.ts'), ...rest], { stdio: 'inherit' });
          child.on('exit', (code) => resolve(code ?? 1));
        });
      }
      case 'discord-register': {
        const c = config();
        if (!c.discordToken || !c.discordApplicationId) {
          throw new BriefbotError('USAGE', 'discord-register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (see docs/discord-setup.md).');
        }
        const { registerCommands } = await import('./adapters/discord/register.ts');
        const result = await registerCommands({
          token: c.discordToken,
          applicationId: c.discordApplicationId,
          guildId: values.guild ?? c.discordGuildId,
          restApiUrl: c.discordRestApiUrl,
          logger: logger(c, true),
        });
        const where = result.scope === 'guild' ? `guild ${values.guild ?? c.discordGuildId}` : 'globally (may take up to an hour to appear)';
        out(`Slash commands registered ${where}.`);
        for (const [label, names] of Object.entries({ created: result.created, updated: result.updated, deleted: result.deleted, unchanged: result.unchanged })) {
          if (names.length) out(`  ${label}: ${names.map((n) => `/${n}`).join(', ')}`);
        }
        return 0;
      }
      default:
        throw new BriefbotError('USAGE', `Unknown command "${command}". Run "briefbot help" for the list.`);
    }
  } catch (error) {
    const message = error instanceof BriefbotError ? error.message : `briefbot failed: ${(error as Error).message}`;
    io.stderr.write(`${message.split('\n')[0]}\n`);
    return error instanceof BriefbotError && error.code === 'USAGE' ? 2 : 1;
  }
}

/** A one-line progress bar on a terminal. */
function progressBar(stream: NodeJS.WritableStream): (done: number, total: number) => void {
  return (done, total) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} files`);
  };
}
