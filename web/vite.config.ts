import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes a `.br` and a `.gz` beside each built asset, once, at build time: the service sends
 * the one the browser accepts (@fastify/static's `preCompressed`) and never compresses a
 * request's worth of bytes itself.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'taskflow-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir, config.build.assetsDir);
    },
    async closeBundle() {
      for (const name of await readdir(outDir)) {
        if (!/\.(js|css|svg)$/.test(name)) continue;
        const file = join(outDir, name);
        const content = await readFile(file);
        await writeFile(`${file}.gz`, gzipSync(content, { level: 9 }));
        await writeFile(
          `${file}.br`,
          brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

/**
 * The web client: built into web/dist, which the service serves at `/` (see
 * src/building-blocks/http/web-client.ts). Vite 8 compiles TSX itself (Oxc), so no framework
 * plugin is needed; `npm run web:dev` serves it with reloads and sends /api to the service.
 */
export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Small files inlined as data: URLs would need `data:` in the page's CSP: keep them files.
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
});
