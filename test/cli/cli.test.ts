import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE = `${ROOT}docs-corpus`;

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  return {
    stream: new Writable({
      write(chunk, _e, done) {
        out += String(chunk);
        done();
      },
    }),
    text: () => out,
  };
}

let data: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  data = await tempDir('briefbot-cli-');
});
afterAll(async () => data.cleanup());

async function cli(args: string[], env: Record<string, string> = {}) {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, env: { DATA_DIR: data.dir, LOG_LEVEL: 'silent', ...env }, cwd: ROOT });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('briefbot ask --json', () => {
  it('answers from the right passage with a citation whose quote holds the answer', async () => {
    const { code, stdout } = await cli(['ask', 'Which country was asked to host the meeting?', '--json', '--corpus', SAMPLE]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(Object.keys(result).sort()).toEqual(['answer', 'citations', 'confidence', 'found', 'mode', 'question']);
    expect(result).toMatchObject({ question: 'Which country was asked to host the meeting?', found: true, mode: 'extractive' });
    expect(['high', 'medium', 'low']).toContain(result.confidence);
    expect(result.answer).toMatch(/Turkey/);
    const markers = [...String(result.answer).matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(markers.length).toBeGreaterThan(0);
    for (const n of markers) expect(result.citations[n - 1].n).toBe(n);
    const turkey = result.citations.find((c: { quote: string }) => c.quote.includes('Turkey'));
    expect(turkey).toBeDefined();
    expect(Object.keys(turkey).sort()).toEqual(['documentId', 'n', 'passageId', 'quote', 'source', 'title']);
    expect(turkey.passageId.startsWith(`${turkey.documentId}#`)).toBe(true);
  });

  it('answers found:false for a question the corpus cannot answer', async () => {
    const { code, stdout } = await cli(['ask', 'What is the boiling point of liquid nitrogen?', '--json', '--corpus', SAMPLE]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.found).toBe(false);
    expect(result.answer).toMatch(/couldn't find/);
  });

  it('exits non-zero with a one-line error for bad usage and bad configuration', async () => {
    const usage = await cli(['ask']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
    const badEnv = await cli(['ask', 'hi there', '--corpus', SAMPLE], { BRIEFING_CRONN: '* * * * *' });
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toMatch(/BRIEFING_CRONN is not a briefbot setting. Did you mean BRIEFING_CRON\?/);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
  });

  it('indexes a corpus and reports skipped files', async () => {
    const corpus = await tempDir('briefbot-idx-');
    await corpus.write('a.md', '# Alpha\n\nAlpha text about harbours.');
    await corpus.write('bad.txt', Buffer.from([0, 1, 2]));
    const { code, stdout } = await cli(['index', '--corpus', corpus.dir]);
    await corpus.cleanup();
    expect(code).toBe(0);
    expect(stdout).toMatch(/Indexed 1 document\(s\)/);
    expect(stdout).toMatch(/skipped bad.txt: binary file/);
  });
});

describe('briefbot start with piped stdin', () => {
  it('answers one question per line, in order, then exits', async () => {
    const child = spawn(process.execPath, [`${ROOT}bin/briefbot.js`, 'start'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'], DOCS_DIR: SAMPLE, DATA_DIR: data.dir, LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += String(c);
    });
    child.stdin.end('Which country was asked to host the meeting?\n\nWhat is the boiling point of liquid nitrogen?\n');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const turkey = out.indexOf('Turkey');
    const notFound = out.indexOf("couldn't find");
    expect(turkey).toBeGreaterThan(-1);
    expect(notFound).toBeGreaterThan(turkey);
    expect(out).toMatch(/Sources:\n\s+\[1\]/);
    expect(out).not.toContain('> ');
  });
});
