// Bundles the UNCHANGED source of @pathcheck/dcc-sdk (the SDK DIVOC uses) into one CommonJS file
// for `vaxpass bench`. As published it loads through the `esm` package, which fails on Node 20;
// esbuild reads the same ES module source (lib/main.js) and its dependencies instead.
// Usage: node scripts/build-peer.mjs [outfile]   (default bench-out/peer-dcc-sdk.cjs)
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = resolve(process.argv[2] ?? join(root, 'bench-out', 'peer-dcc-sdk.cjs'));
const require = createRequire(join(root, 'package.json'));
const pkgDir = dirname(require.resolve('@pathcheck/dcc-sdk/package.json'));

await build({
  entryPoints: [join(pkgDir, 'lib', 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
});
process.stdout.write(`built ${outfile}\n`);
