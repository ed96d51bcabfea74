import type { BulkBody, BulkResult } from '@studio/contracts';
import { badRequest } from '../errors.ts';
import type { LibraryRepository } from './library.repository.ts';
import type { LibraryEditRepository } from './library-edit.repository.ts';
import { parseTags, uniqueTags } from './row-fields.ts';
import type { TrashRepository } from './trash.repository.ts';
import type { TrashService } from './trash.service.ts';

/** One action over many of the caller's assets; ids that are missing or someone else's come back in `not_found`. */
export class BulkService {
  private readonly clock: () => Date;

  constructor(
    private readonly repos: {
      library: LibraryRepository;
      edits: LibraryEditRepository;
      trash: TrashRepository;
    },
    private readonly trash: TrashService,
    clock?: () => Date,
  ) {
    this.clock = clock ?? (() => new Date());
  }

  async bulk(
    userId: number,
    action: Exclude<BulkResult['action'], 'download'>,
    body: BulkBody,
    checkCollection: (collectionId: number) => Promise<void>,
  ): Promise<BulkResult> {
    const ids = [...new Set(body.asset_ids)];
    const now = this.clock().toISOString();
    let done: number[];
    switch (action) {
      case 'favorite':
      case 'unfavorite':
        done = await this.repos.edits.setMany(
          userId,
          ids,
          { is_favorite: action === 'favorite' ? 1 : 0 },
          now,
        );
        break;
      case 'move': {
        if (body.collection_id === undefined) {
          throw badRequest('move needs collection_id (null takes assets out of their collection).');
        }
        if (body.collection_id !== null) {
          await checkCollection(body.collection_id);
        }
        done = await this.repos.edits.setMany(userId, ids, { collection_id: body.collection_id }, now);
        break;
      }
      case 'tag':
        done = await this.retag(userId, ids, body, now);
        break;
      case 'delete':
        done = body.permanent
          ? (await this.trash.purge(userId, ids)).map((r) => r.id).sort((a, b) => a - b)
          : await this.repos.trash.trash(userId, ids, now);
        break;
    }
    const affected = new Set(done);
    // Trashed assets that were already in the trash still count as deleted, not as missing.
    const present =
      action === 'delete' && !body.permanent
        ? new Set((await this.repos.library.findOwnedMany(userId, ids, true)).map((r) => r.id))
        : affected;
    return {
      action,
      asset_ids: done,
      not_found: ids.filter((id) => !affected.has(id) && !present.has(id)),
    };
  }

  private async retag(userId: number, ids: number[], body: BulkBody, now: string): Promise<number[]> {
    if (!body.tags) {
      throw badRequest('tag needs tags.');
    }
    const given = uniqueTags(body.tags);
    const rows = await this.repos.library.findOwnedMany(userId, ids);
    const next = new Map<number, string[]>();
    for (const row of rows) {
      const current = parseTags(row.tags);
      next.set(
        row.id,
        body.tag_mode === 'set'
          ? given
          : body.tag_mode === 'remove'
            ? current.filter((t) => !given.includes(t))
            : uniqueTags([...current, ...given]),
      );
    }
    await this.repos.edits.setTags(userId, next, now);
    return [...next.keys()];
  }
}
