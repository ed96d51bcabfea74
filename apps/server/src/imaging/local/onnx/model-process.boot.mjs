// Boots the model process (model-process.ts): registers tsx itself, whatever flags the parent
// was started with, then loads the TypeScript entry. Plain JavaScript because it runs first.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./model-process.worker.ts', import.meta.url).href);
