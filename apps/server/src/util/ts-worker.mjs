// Boots a TypeScript worker thread: Node 20 does not hand the `--import tsx` hooks of the main
// thread on to workers, so the worker registers tsx itself and then imports its real entry.
// Plain JavaScript because it runs before any TypeScript can be loaded.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
