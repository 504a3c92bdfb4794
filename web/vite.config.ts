import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The console is served by `provisio serve` at "/", same origin as /api/v1: no CDN, no
// runtime fetch from anywhere else. `npm run dev` proxies the API to a local server.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/api': process.env.PROVISIO_URL ?? 'http://127.0.0.1:8080',
      '/scim': process.env.PROVISIO_URL ?? 'http://127.0.0.1:8080',
    },
  },
  test: { include: ['src/**/*.test.ts'] },
});
