import { z } from 'zod';
import { CoercedId, Id, Text } from './common.ts';

/** A share link as its owner sees it; the token itself is shown once, when the link is made. */
export const ShareLink = z
  .object({
    id: z.number().int(),
    kind: z.enum(['collection', 'asset']),
    collection_id: z.number().int().nullable(),
    asset_id: z.number().int().nullable(),
    has_password: z.boolean(),
    allow_download: z.boolean(),
    expires_at: z.string(),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .meta({ id: 'ShareLink' });
export type ShareLink = z.infer<typeof ShareLink>;

export const ShareLinkCreate = z
  .object({
    collection_id: Id.optional(),
    asset_id: Id.optional(),
    expires_in_days: z.number().int().min(1).max(365).default(30),
    password: Text().min(4).max(200).optional(),
    allow_download: z.boolean().default(false),
  })
  .refine((b) => (b.collection_id === undefined) !== (b.asset_id === undefined), {
    message: 'Give exactly one of collection_id or asset_id.',
    path: ['collection_id'],
  });
export type ShareLinkCreate = z.infer<typeof ShareLinkCreate>;

export const ShareLinkCreated = z.object({
  link: ShareLink,
  token: z.string().describe('Shown once: only its hash is stored.'),
  url: z.string().describe('The public gallery page, e.g. /s/<token>.'),
});
export type ShareLinkCreated = z.infer<typeof ShareLinkCreated>;

export const ShareLinkList = z.object({ links: z.array(ShareLink) });
export type ShareLinkList = z.infer<typeof ShareLinkList>;

/**
 * A share token from a path. Real ones are 43 base64url characters (256 random bits); any other text
 * is simply a token nobody has (404), like a wrong one of the right form.
 */
const ShareToken = z.string().min(1).max(100);
export const ShareTokenParam = z.object({ token: ShareToken });
export const ShareAssetParams = z.object({ token: ShareToken, id: CoercedId });
/** `grant`: what unlocking a password-protected link answered; needed on every later call. */
export const ShareGrantQuery = z.object({ grant: z.string().max(200).optional() });
export const ShareImageQuery = z.object({
  grant: z.string().max(200).optional(),
  size: z.enum(['small', 'large']).default('large'),
});

export const ShareUnlockBody = z.object({ password: Text().min(1).max(200) });
export const ShareUnlocked = z.object({ grant: z.string(), expires_at: z.string() });

export const SharedAsset = z.object({
  id: z.number().int(),
  title: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  image_url: z.string().describe('A web-sized copy (WebP, 1024 px).'),
  thumbnail_url: z.string(),
  download_url: z.string().nullable().describe('The original, when the link allows downloads.'),
});
export type SharedAsset = z.infer<typeof SharedAsset>;

export const SharedGallery = z
  .object({
    title: z.string(),
    kind: z.enum(['collection', 'asset']),
    allow_download: z.boolean(),
    expires_at: z.string(),
    assets: z.array(SharedAsset),
  })
  .meta({ id: 'SharedGallery' });
export type SharedGallery = z.infer<typeof SharedGallery>;
