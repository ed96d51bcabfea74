/**
 * SQLite with each distinct statement prepared once (`db/statement-cache.ts`, what the server runs)
 * against Kysely's own way, preparing every query anew: the same work on two databases in one
 * process, alternating rounds. A round is what a Social export saves: a source and 20 outputs,
 * each an `AssetRepository.create` with the storage-quota reads and a lineage link, then the
 * library's first page. Reported: CPU per round (this thread, median) and the ratio.
 *
 * `npm run bench sqlite-statements`
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AssetRepository } from '../apps/server/src/assets/asset.repository.ts';
import { openDatabase } from '../apps/server/src/db/database.ts';
import type { NewAsset } from '../apps/server/src/db/schema.ts';

const ROUNDS = 40;
const OUTPUTS = 20;

async function database(dir: string, prepareEachQuery: boolean) {
  const db = openDatabase({
    sqlitePath: path.join(dir, `${prepareEachQuery ? 'each' : 'once'}.db`),
    prepareEachQuery,
  });
  await db.migrate();
  const now = new Date().toISOString();
  const user = await db.kysely
    .insertInto('users')
    .values({
      email: 'bench@example.com',
      password_hash: 'x',
      role: 'admin',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { db, repo: new AssetRepository(db.kysely, db.dialect), userId: user.id };
}

let serial = 0;
function asset(userId: number, title: string): NewAsset {
  const now = new Date().toISOString();
  serial++;
  return {
    user_id: userId,
    asset_type: 'image',
    source_module: 'social',
    operation: 'social.optimize',
    provider: null,
    model: null,
    prompt: null,
    title,
    description: null,
    params: JSON.stringify({ platform: 'instagram', format_id: 'instagram.post', crop: { left: 0, top: 0 } }),
    width: 1080,
    height: 1080,
    format: 'jpeg',
    mime_type: 'image/jpeg',
    file_size: 200_000 + serial,
    sha256: serial.toString(16).padStart(64, '0'),
    thumb_small_sha256: null,
    thumb_large_sha256: null,
    thumbhash: null,
    cost_credits: 0,
    is_favorite: 0,
    tags: JSON.stringify(['social', 'instagram', 'post']),
    collection_id: null,
    download_count: 0,
    share_count: 0,
    access_count: 0,
    last_accessed: null,
    deleted_at: null,
    created_at: now,
    updated_at: now,
  };
}

async function round({ repo, userId }: Awaited<ReturnType<typeof database>>): Promise<number> {
  const start = process.cpuUsage();
  const quota = async (reads: ReturnType<AssetRepository['storageReads']>) => {
    await reads.total();
  };
  const source = await repo.create(asset(userId, 'source'), [], quota);
  await Promise.all(
    Array.from({ length: OUTPUTS }, (_, i) => repo.create(asset(userId, `output ${i}`), [source.id], quota)),
  );
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-statements-'));
try {
  const once = await database(dir, false);
  const each = await database(dir, true);
  const cpu = { once: [] as number[], each: [] as number[] };
  for (let i = 0; i < 3; i++) {
    await round(once);
    await round(each);
  }
  for (let i = 0; i < ROUNDS; i++) {
    cpu.each.push(await round(each));
    cpu.once.push(await round(once));
  }
  const e = median(cpu.each);
  const o = median(cpu.once);
  console.log(
    `SQLite, a Social export's saves (source + ${OUTPUTS} outputs, quota reads, lineage), ${ROUNDS} rounds each, alternating:`,
  );
  console.log(`  every query prepared anew (Kysely alone): median ${e.toFixed(1)} ms CPU per round`);
  console.log(`  each statement prepared once (the server): median ${o.toFixed(1)} ms CPU per round`);
  console.log(`  ratio: ${(o / e).toFixed(2)}× the CPU (${(e / o).toFixed(2)}× as fast)`);
  await once.db.close();
  await each.db.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
