// npm run size: bundles and minifies src/dino.js with esbuild (as an application's bundler would) and prints
// the minified and gzipped sizes. Output: target/dino.min.js.
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

mkdirSync('target', { recursive: true });
await build({ entryPoints: ['src/dino.js'], bundle: true, minify: true, format: 'esm', target: 'es2022', outfile: 'target/dino.min.js', logLevel: 'warning' });
const code = readFileSync('target/dino.min.js');
const gzipped = gzipSync(code, { level: 9 }).length;
console.log(`@dino/client bundle (esbuild, minified, esm): ${code.length} bytes minified, ${gzipped} bytes gzipped`);
