import type { AssetList, AssetListQuery, Collection, CollectionUpdate } from '@studio/contracts';
import { notFound } from '../errors.ts';
import { assetThumbnailUrl } from './asset.mapper.ts';
import type { AssetService } from './asset.service.ts';
import type { CollectionRepository, CollectionWithCount } from './collection.repository.ts';
import type { LibraryRepository } from './library.repository.ts';
import type { LibraryService } from './library.service.ts';
import type { LibraryEditRepository } from './library-edit.repository.ts';

function toCollection(row: CollectionWithCount): Collection {
  return {
    id: row.id,
    user_id: row.user_id,
    name: row.name,
    description: row.description,
    is_public: row.is_public === 1,
    cover_asset_id: row.cover_asset_id,
    cover_thumbnail_url: row.cover_asset_id === null ? null : assetThumbnailUrl(row.cover_asset_id),
    asset_count: row.asset_count,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Collections (albums): create, rename, cover, add/remove assets; deleting one keeps its assets. */
export class CollectionService {
  private readonly clock: () => Date;

  constructor(
    private readonly repo: CollectionRepository,
    private readonly rows: { library: LibraryRepository; edits: LibraryEditRepository },
    private readonly assets: AssetService,
    private readonly libraryService: LibraryService,
    clock?: () => Date,
  ) {
    this.clock = clock ?? (() => new Date());
  }

  private now(): string {
    return this.clock().toISOString();
  }

  async create(
    userId: number,
    body: { name: string; description?: string | null; is_public: boolean },
  ): Promise<Collection> {
    const id = await this.repo.create({
      user_id: userId,
      name: body.name,
      description: body.description ?? null,
      is_public: body.is_public ? 1 : 0,
      now: this.now(),
    });
    return this.get(userId, id);
  }

  async get(userId: number, id: number): Promise<Collection> {
    return toCollection(await this.owned(userId, id));
  }

  /** Throws the 404 when the collection is missing or someone else's. */
  async owned(userId: number, id: number): Promise<CollectionWithCount> {
    const row = await this.repo.findOwned(userId, id);
    if (!row) {
      throw notFound('Collection');
    }
    return row;
  }

  async list(userId: number, limit: number, offset: number) {
    const { rows, total } = await this.repo.list(userId, limit, offset);
    return { collections: rows.map(toCollection), total, limit, offset };
  }

  async update(userId: number, id: number, body: CollectionUpdate): Promise<Collection> {
    await this.owned(userId, id);
    if (body.cover_asset_id !== undefined && body.cover_asset_id !== null) {
      await this.assets.owned(userId, body.cover_asset_id);
    }
    await this.repo.update(
      userId,
      id,
      {
        name: body.name,
        description: body.description,
        is_public: body.is_public === undefined ? undefined : body.is_public ? 1 : 0,
        cover_asset_id: body.cover_asset_id,
      },
      this.now(),
    );
    return this.get(userId, id);
  }

  async delete(userId: number, id: number) {
    await this.owned(userId, id);
    const detached = await this.repo.delete(userId, id);
    return { collection_id: id, deleted: true as const, detached };
  }

  async addAssets(userId: number, id: number, assetIds: number[]) {
    await this.owned(userId, id);
    const ids = [...new Set(assetIds)];
    const done = await this.rows.edits.setMany(userId, ids, { collection_id: id }, this.now());
    return this.result(userId, id, ids, done);
  }

  async removeAssets(userId: number, id: number, assetIds: number[]) {
    await this.owned(userId, id);
    const ids = [...new Set(assetIds)];
    const inCollection = (await this.rows.library.findOwnedMany(userId, ids))
      .filter((r) => r.collection_id === id)
      .map((r) => r.id);
    const done = await this.rows.edits.setMany(userId, inCollection, { collection_id: null }, this.now());
    return this.result(userId, id, ids, done);
  }

  private async result(userId: number, id: number, ids: number[], done: number[]) {
    const affected = new Set(done);
    return {
      collection_id: id,
      asset_ids: done,
      not_found: ids.filter((a) => !affected.has(a)),
      asset_count: (await this.owned(userId, id)).asset_count,
    };
  }

  async assetsOf(userId: number, id: number, query: AssetListQuery): Promise<AssetList> {
    await this.owned(userId, id);
    return this.libraryService.list(userId, query, { collectionId: id });
  }
}
