import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { preparedOnce } from './statement-cache.ts';

describe('preparedOnce', () => {
  it('prepares each distinct SQL text once and evicts the least recently used past its size', () => {
    const db = preparedOnce(new Sqlite(':memory:'), 2);
    const a = db.prepare('select 1 as n');
    const b = db.prepare('select 2 as n');
    expect(db.prepare('select 1 as n')).toBe(a);
    db.prepare('select 3 as n');
    // `b` was used least recently, so it went; `a` stayed.
    expect(db.prepare('select 1 as n')).toBe(a);
    expect(db.prepare('select 2 as n')).not.toBe(b);
    expect(db.prepare('select 2 as n').all([])).toEqual([{ n: 2 }]);
    db.close();
  });

  it('keeps a statement usable after it failed, and after the schema changed under it', () => {
    const raw = new Sqlite(':memory:');
    const db = preparedOnce(raw);
    raw.exec('create table t (a integer unique)');
    const insert = () => db.prepare('insert into t (a) values (?)');
    insert().run([1]);
    expect(() => insert().run([1])).toThrow(/UNIQUE/);
    insert().run([2]);
    expect(db.prepare('select * from t order by a').all([])).toEqual([{ a: 1 }, { a: 2 }]);
    raw.exec('alter table t add column b integer default 5');
    expect(db.prepare('select * from t order by a').all([])).toEqual([
      { a: 1, b: 5 },
      { a: 2, b: 5 },
    ]);
    db.close();
  });
});

describe('openDatabase on SQLite', () => {
  it('runs the migrations, writes and reads through the kept statements, in and out of transactions', async () => {
    const db = openDatabase({ sqlitePath: ':memory:' });
    await db.migrate();
    const now = new Date().toISOString();
    const user = (email: string) => ({
      email,
      password_hash: 'x',
      role: 'user' as const,
      created_at: now,
      updated_at: now,
    });
    await db.kysely.insertInto('users').values(user('a@example.com')).execute();
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(user('b@example.com')).execute();
        await trx.insertInto('users').values(user('a@example.com')).execute();
      }),
    ).rejects.toThrow(/UNIQUE/);
    await db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(user('c@example.com')).execute();
    });
    const emails = await db.kysely.selectFrom('users').select('email').orderBy('email').execute();
    expect(emails.map((r) => r.email)).toEqual(['a@example.com', 'c@example.com']);
    const { rows } = await sql<{ n: number }>`select count(*) as n from users`.execute(db.kysely);
    expect(rows[0]?.n).toBe(2);
    await db.close();
  });
});
