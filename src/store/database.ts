import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The embedded SQLite database shared by every durable store (dedupe, feedback, briefings, …). */
export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Folder for `briefbot.sqlite`; `:memory:` for an in-memory database (tests). */
  dataDir: string;
}

/**
 * Opens (creating if needed) the database in WAL mode so a second process on the same file can read
 * while one writes. Each store creates its own tables with `CREATE TABLE IF NOT EXISTS`.
 */
export function openDatabase(options: OpenDatabaseOptions): Db {
  if (options.dataDir === ':memory:') return new Database(':memory:');
  mkdirSync(options.dataDir, { recursive: true });
  const db = new Database(path.join(options.dataDir, 'briefbot.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}
