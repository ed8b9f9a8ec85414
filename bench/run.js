#!/usr/bin/env node
'use strict';
/*
 * `npm run bench -- …`: the bench is TypeScript, run through ts-node with SWC (the loader the CLI itself uses, so no
 * build step for bench/). Decorator options are not needed here: the bench loads no entities itself.
 */
require('ts-node').register({
  transpileOnly: true,
  swc: true,
  compilerOptions: { module: 'commonjs', moduleResolution: 'node', target: 'es2022', esModuleInterop: true },
});
require('./main.ts')
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`bench failed: ${error && error.stack ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
