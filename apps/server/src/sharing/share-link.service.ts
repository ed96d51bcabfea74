import type { SharedGallery, ShareLink, ShareLinkCreate, ShareLinkCreated } from '@studio/contracts';
import type { AssetFile, AssetService } from '../assets/asset.service.ts';
import type { CollectionService } from '../assets/collection.service.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import type { ShareGrants } from './share-grant.ts';
import type { ShareLinkRepository, ShareLinkRow } from './share-link.repository.ts';

const DAY_MS = 86_400_000;

export const shareUrl = (token: string) => `/s/${token}`;
const publicBase = (token: string) => `/api/public/shares/${token}`;

const passwordRequired = () =>
  new AppError(403, 'share_password_required', 'This link is protected by a password.');
const wrongPassword = () => new AppError(403, 'share_password_wrong', 'The password is not right.');

function toShareLink(row: ShareLinkRow, now: Date): ShareLink {
  const status = row.revoked_at ? 'revoked' : row.expires_at <= now.toISOString() ? 'expired' : 'active';
  return {
    id: row.id,
    kind: row.asset_id !== null ? 'asset' : 'collection',
    collection_id: row.collection_id,
    asset_id: row.asset_id,
    has_password: row.password_hash !== null,
    allow_download: row.allow_download === 1,
    expires_at: row.expires_at,
    revoked_at: row.revoked_at,
    created_at: row.created_at,
    status,
  };
}

/**
 * Share links: the owner makes, lists and revokes them; anyone holding a link's token sees its one
 * asset or collection read-only, and nothing else of the owner's. A link that is revoked, expired or
 * unknown is the same 404, so a token reveals nothing about links that no longer open.
 */
export class ShareLinkService {
  private readonly clock: () => Date;

  constructor(
    private readonly repo: ShareLinkRepository,
    private readonly assets: AssetService,
    private readonly collections: CollectionService,
    private readonly grants: ShareGrants,
    clock?: () => Date,
  ) {
    this.clock = clock ?? (() => new Date());
  }

  async create(userId: number, body: ShareLinkCreate): Promise<ShareLinkCreated> {
    if (body.collection_id !== undefined) await this.collections.owned(userId, body.collection_id);
    if (body.asset_id !== undefined) {
      const asset = await this.assets.owned(userId, body.asset_id);
      if (asset.deleted_at !== null) throw notFound('Asset');
    }
    const token = newSecret();
    const now = this.clock();
    const row = await this.repo.create({
      user_id: userId,
      token_hash: hashSecret(token),
      collection_id: body.collection_id ?? null,
      asset_id: body.asset_id ?? null,
      password_hash: body.password === undefined ? null : await hashPassword(body.password),
      allow_download: body.allow_download ? 1 : 0,
      expires_at: new Date(now.getTime() + body.expires_in_days * DAY_MS).toISOString(),
      created_at: now.toISOString(),
    });
    return { link: toShareLink(row, now), token, url: shareUrl(token) };
  }

  async list(userId: number): Promise<{ links: ShareLink[] }> {
    const now = this.clock();
    return { links: (await this.repo.list(userId)).map((row) => toShareLink(row, now)) };
  }

  async revoke(userId: number, id: number): Promise<ShareLink> {
    if (!(await this.repo.findOwned(userId, id))) throw notFound('Share link');
    await this.repo.revoke(userId, id, this.clock().toISOString());
    const row = await this.repo.findOwned(userId, id);
    if (!row) throw notFound('Share link');
    return toShareLink(row, this.clock());
  }

  /** The link behind a token if it opens now; a password-protected one also needs a valid grant. */
  private async open(token: string, grant: string | undefined): Promise<ShareLinkRow> {
    const now = this.clock();
    const link = await this.repo.findOpen(hashSecret(token), now.toISOString());
    if (!link) throw notFound('Share link');
    if (link.password_hash !== null && !this.grants.verify(grant, link.id, link.password_hash, now)) {
      throw passwordRequired();
    }
    return link;
  }

  async unlock(token: string, password: string): Promise<{ grant: string; expires_at: string }> {
    const now = this.clock();
    const link = await this.repo.findOpen(hashSecret(token), now.toISOString());
    if (!link) throw notFound('Share link');
    if (link.password_hash === null) throw notFound('Share link password');
    if (!(await verifyPassword(link.password_hash, password))) throw wrongPassword();
    const { grant, expiresAt } = this.grants.issue(link.id, link.password_hash, now, link.expires_at);
    return { grant, expires_at: expiresAt };
  }

  async gallery(token: string, grant: string | undefined): Promise<SharedGallery> {
    const link = await this.open(token, grant);
    const rows = await this.repo.sharedAssets(link);
    if (link.asset_id !== null && rows.length === 0) throw notFound('Share link');
    const withGrant = (query: string) => {
      const parts = [query, grant ? `grant=${encodeURIComponent(grant)}` : ''].filter(Boolean);
      return parts.length > 0 ? `?${parts.join('&')}` : '';
    };
    const url = (id: number, what: string, query = '') =>
      `${publicBase(token)}/assets/${id}/${what}${withGrant(query)}`;
    const title =
      link.collection_id !== null
        ? ((await this.repo.collectionName(link)) ?? 'Shared collection')
        : (rows[0]?.title ?? 'Shared image');
    return {
      title,
      kind: link.asset_id !== null ? 'asset' : 'collection',
      allow_download: link.allow_download === 1,
      expires_at: link.expires_at,
      assets: rows.map((row) => ({
        id: row.id,
        title: row.title,
        width: row.width,
        height: row.height,
        image_url: url(row.id, 'image', 'size=large'),
        thumbnail_url: url(row.id, 'image', 'size=small'),
        download_url: link.allow_download === 1 ? url(row.id, 'original') : null,
      })),
    };
  }

  /** A web-sized copy (WebP thumbnail) of one asset the link covers. */
  async image(
    token: string,
    grant: string | undefined,
    assetId: number,
    size: 'small' | 'large',
  ): Promise<AssetFile> {
    const link = await this.covered(token, grant, assetId);
    return this.assets.thumbnail(link.user_id, assetId, size);
  }

  /** The original bytes, only when the link allows downloads. */
  async original(token: string, grant: string | undefined, assetId: number): Promise<AssetFile> {
    const link = await this.covered(token, grant, assetId);
    if (link.allow_download !== 1) throw forbidden('This link does not allow downloads.');
    return this.assets.file(link.user_id, assetId);
  }

  private async covered(token: string, grant: string | undefined, assetId: number): Promise<ShareLinkRow> {
    const link = await this.open(token, grant);
    if (!(await this.repo.sharedAsset(link, assetId))) throw notFound('Asset');
    return link;
  }
}
