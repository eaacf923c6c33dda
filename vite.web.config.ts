import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer built for the HTTP mode (browsers on the lot's network and the tests). */
export default defineConfig({
  root: 'src',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: { proxy: { '/trpc': 'http://127.0.0.1:4780' } },
});
