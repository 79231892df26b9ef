import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh temporary folder with helpers to write files into it; `cleanup()` removes it. */
export async function tempDir(prefix = 'briefbot-'): Promise<{
  dir: string;
  write(rel: string, content: string | Buffer): Promise<string>;
  cleanup(): Promise<void>;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return {
    dir,
    async write(rel, content) {
      const file = path.join(dir, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
