import { defineConfig } from 'vite';

// Preact through the automatic JSX runtime: no Babel plugin needed.
// Everything (code, CSS, fonts) is bundled into dist/; nothing is fetched from the internet at run time.
export default defineConfig({
  base: '/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` proxies the API to a running sanad (or `npm run mock`).
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
});
