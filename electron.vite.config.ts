import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

/**
 * The renderer. `electron-vite build --mode profiling` builds only this, into
 * out/renderer-profiling, with React DOM's profiling build: production React's <Profiler>
 * never calls onRender, so `npm run bench:ui` counts row commits on that variant.
 */
function renderer(profiling: boolean) {
  return {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    resolve: profiling
      ? { alias: [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] }
      : {},
    build: {
      outDir: resolve(root, profiling ? 'out/renderer-profiling' : 'out/renderer'),
      emptyOutDir: true,
      // electron-vite leaves the renderer unminified by default (~800 kB).
      minify: 'oxc' as const,
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  };
}

export default defineConfig(({ mode }) =>
  mode === 'profiling'
    ? { renderer: renderer(true) }
    : {
        main: {
          build: {
            outDir: resolve(root, 'out/main'),
            // ws and zod stay in node_modules (runtime dependencies packaged by electron-builder).
            externalizeDeps: true,
            rolldownOptions: {
              input: { index: resolve(root, 'electron/main/index.ts') },
              // package.json "main" points at out/main/index.js; the package is "type": "module".
              output: {
                format: 'es',
                entryFileNames: '[name].js',
                chunkFileNames: 'chunks/[name]-[hash].js',
              },
            },
          },
        },
        preload: {
          build: {
            outDir: resolve(root, 'out/preload'),
            // A sandboxed preload can require only electron: bundle zod and shared/ into it.
            externalizeDeps: false,
            isolatedEntries: true,
            rolldownOptions: {
              input: { index: resolve(root, 'electron/preload/index.ts') },
              output: { format: 'cjs', entryFileNames: '[name].cjs' },
            },
          },
        },
        renderer: renderer(false),
      },
);
