import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** What the first page load may download (entry chunk plus its static imports), gzipped. */
const INITIAL_JS_BUDGET_KB = 300;

/**
 * Prints the initial JS size after each build and fails the build above the budget: studios load
 * lazily, so only the shell may count here.
 */
function initialJsBudget(): Plugin {
  return {
    name: 'initial-js-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle).flatMap((item) =>
          item.type === 'chunk' ? [[item.fileName, item] as const] : [],
        ),
      );
      const initial = new Set<string>();
      const visit = (name: string) => {
        const chunk = chunks.get(name);
        if (!chunk || initial.has(name)) {
          return;
        }
        initial.add(name);
        chunk.imports.forEach(visit);
      };
      for (const chunk of chunks.values()) {
        if (chunk.isEntry) {
          visit(chunk.fileName);
        }
      }
      const bytes = [...initial].reduce(
        (sum, name) => sum + gzipSync(chunks.get(name)?.code ?? '').length,
        0,
      );
      const kb = bytes / 1000;
      const line = `initial JS: ${kb.toFixed(1)} kB gzipped in ${initial.size} chunks (budget ${INITIAL_JS_BUDGET_KB} kB)`;
      if (kb > INITIAL_JS_BUDGET_KB) {
        this.error(line);
      }
      this.info(line);
    },
  };
}

// `npm run dev -w apps/web` proxies the API to a server started with `npm run dev` on port 8080.
export default defineConfig({
  plugins: [react(), initialJsBudget()],
  server: { proxy: { '/api': process.env.STUDIO_API_URL ?? 'http://localhost:8080' } },
  build: { chunkSizeWarningLimit: 600 },
});
