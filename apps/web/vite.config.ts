import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w apps/web` proxies the API to a server started with `npm run dev` on port 8080.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': process.env.STUDIO_API_URL ?? 'http://localhost:8080' } },
  build: { chunkSizeWarningLimit: 600 },
});
