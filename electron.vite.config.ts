import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import type { Plugin } from 'vite'
import { CSP_META, CSP_PLACEHOLDER } from './electron/main/content-policy'

/** Writes the one Content Security Policy into index.html's <meta>; a build without it fails rather than ship none. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'credit-desk:csp',
    transformIndexHtml(html) {
      if (!html.includes(CSP_PLACEHOLDER)) throw new Error(`renderer/index.html lacks ${CSP_PLACEHOLDER}`)
      return html.replace(CSP_PLACEHOLDER, CSP_META)
    },
  }
}

// Non-default layout (electron/{main,preload,cli} + renderer/), so every entry is named.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // knex and sqlite3 stay require()d from node_modules (knex loads dialects dynamically; sqlite3 is native).
      rollupOptions: {
        // crypto-worker: the worker threads that seal and open package chunks (found beside the bundle at run time).
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts'),
          'crypto-worker': resolve(__dirname, 'electron/core/exchange/crypto-worker.ts'),
          // parse-worker: reads files from outside (xlsx, docx, pdf, txt) with a heap cap and a deadline.
          'parse-worker': resolve(__dirname, 'electron/core/untrusted/parse-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot load chunks or npm modules: one self-contained file.
      rollupOptions: { input: { index: resolve(__dirname, 'electron/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    resolve: { alias: { '@renderer': resolve(__dirname, 'renderer/src') } },
    plugins: [contentSecurityPolicy(), vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false })],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
})
