// Compressed copies of every text asset of dist/, made once at build time (gzip and brotli at their
// highest levels): the server sends the copy the browser accepts and never compresses per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const compressible = /\.(html|js|mjs|css|svg|json|geojson|txt|map)$/;
const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

let before = 0;
let after = 0;
for (const file of walk(process.argv[2] ?? 'dist').filter((f) => compressible.test(f))) {
  const body = readFileSync(file);
  const gz = gzipSync(body, { level: 9 });
  const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  // A copy that saves nothing is left out: the server then sends the file itself.
  if (gz.length < body.length) writeFileSync(`${file}.gz`, gz);
  if (br.length < body.length) writeFileSync(`${file}.br`, br);
  before += body.length;
  after += Math.min(body.length, br.length);
}
console.log(`precompressed: ${before} bytes of text assets, ${after} with brotli`);
