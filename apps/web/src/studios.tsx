import {
  IconAdjustmentsHorizontal,
  IconArrowsMaximize,
  IconBrush,
  IconFileZip,
  IconLayoutGrid,
  IconPhotoPlus,
  IconShare,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';

export type StudioId = 'create' | 'edit' | 'upscale' | 'social' | 'control' | 'compress' | 'library';

export interface Studio {
  id: StudioId;
  title: string;
  description: string;
  /** Route of the studio's screen. */
  path: string;
  /** Health `modules` key that says whether the server side is up. */
  module?: string;
  /** Provider capability the studio needs: `create`, or an operation family such as `edit.`. */
  operation?: string;
  icon: ComponentType<{ size?: number | string }>;
}

/** The studios on the dashboard, in the order a user meets them. */
export const STUDIOS: readonly Studio[] = [
  {
    id: 'create',
    title: 'Create',
    description: 'Generate images from a prompt and a platform template, several variations at once.',
    path: '/create',
    module: 'create_studio',
    operation: 'create',
    icon: IconPhotoPlus,
  },
  {
    id: 'edit',
    title: 'Edit',
    description: 'Remove or replace backgrounds, inpaint, outpaint, erase and recolour objects.',
    path: '/edit',
    // No `operation`: erase, background removal, recolour and fills run locally without any key;
    // the screen marks the operations that need one.
    module: 'edit_studio',
    icon: IconBrush,
  },
  {
    id: 'upscale',
    title: 'Upscale',
    description: 'Enlarge images up to 4× with fast, conservative or creative upscaling.',
    path: '/upscale',
    // No `operation`: local models upscale without any key; the screen says which modes need Stability.
    module: 'upscale_studio',
    icon: IconArrowsMaximize,
  },
  {
    id: 'social',
    title: 'Social',
    description: 'Turn one image into every social platform format with smart cropping and safe zones.',
    path: '/social',
    module: 'social_optimizer',
    icon: IconShare,
  },
  {
    id: 'control',
    title: 'Control',
    description: 'Guide generation with a sketch, a structure or a style reference.',
    path: '/control',
    module: 'control_studio',
    operation: 'control.',
    icon: IconAdjustmentsHorizontal,
  },
  {
    id: 'compress',
    title: 'Compress & Convert',
    description: 'Shrink several images at once to a size or quality, or convert them to another format.',
    path: '/compress',
    module: 'compression',
    icon: IconFileZip,
  },
  {
    id: 'library',
    title: 'Library',
    description: 'Every image you made or uploaded: search, favorites, collections, lineage and trash.',
    path: '/library',
    icon: IconLayoutGrid,
  },
];
