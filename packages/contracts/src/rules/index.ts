// Rules both the server and the web apply; `@studio/contracts/rules` keeps zod out of the browser bundle.
export * from './edit-routing.ts';
export * from './module-models.ts';
export * from './upscale-target.ts';
