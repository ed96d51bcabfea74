import type { Context } from '../context.ts';
import type { StudioApp } from '../http/types.ts';
import { assetRoutes } from './assets.routes.ts';
import { authRoutes } from './auth.routes.ts';
import { billingRoutes } from './billing.routes.ts';
import { contentAssetRoutes } from './content-assets.routes.ts';
import { contentAssetCollectionRoutes } from './content-assets-collections.routes.ts';
import { controlRoutes } from './control.routes.ts';
import { createRoutes } from './create.routes.ts';
import { editRoutes } from './edit.routes.ts';
import { healthRoutes } from './health.routes.ts';
import { jobRoutes } from './jobs.routes.ts';
import { metricsRoutes } from './metrics.routes.ts';
import { personaRoutes } from './personas.routes.ts';
import { processingRoutes } from './processing.routes.ts';
import { providerRoutes } from './providers.routes.ts';
import { publicShareRoutes } from './public-share.routes.ts';
import { shareLinkRoutes } from './share-links.routes.ts';
import { socialRoutes } from './social.routes.ts';
import { socialCampaignRoutes } from './social-campaign.routes.ts';
import { templateRoutes } from './templates.routes.ts';
import { tokenRoutes } from './tokens.routes.ts';
import { understandingRoutes } from './understanding.routes.ts';
import { upscaleRoutes } from './upscale.routes.ts';
import { userRoutes } from './users.routes.ts';

/** Every route module, registered in this order by app.ts. A new group adds one line here. */
export const routeModules: ReadonlyArray<(app: StudioApp, ctx: Context) => void> = [
  healthRoutes,
  authRoutes,
  tokenRoutes,
  userRoutes,
  jobRoutes,
  metricsRoutes,
  assetRoutes,
  contentAssetRoutes,
  contentAssetCollectionRoutes,
  understandingRoutes,
  shareLinkRoutes,
  publicShareRoutes,
  billingRoutes,
  providerRoutes,
  templateRoutes,
  createRoutes,
  personaRoutes,
  socialRoutes,
  socialCampaignRoutes,
  processingRoutes,
  editRoutes,
  upscaleRoutes,
  controlRoutes,
];
