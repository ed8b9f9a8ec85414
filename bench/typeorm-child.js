'use strict';
/*
 * Entry of the TypeORM side of the bench, run as its own process so it pays for loading the generated .ts entities
 * exactly as the CLI does: the loader is registered with the CLI's own function (dist/…/register-typescript.js: the SWC
 * require hook with the same forced options), then the TypeScript body in typeorm-child.ts runs.
 * Usage: node bench/typeorm-child.js <cliRoot> <projectDir> <log|synchronize> <postgres|mariadb> <url> <modelsGlob>
 * where cliRoot is the build being measured (its dist/ provides the loader), normally the repository.
 */
const startedAt = performance.now();
const path = require('node:path');

const [cliRoot, projectDir] = process.argv.slice(2);
require(path.join(cliRoot, 'dist', 'source', 'typeorm', 'register-typescript.js')).registerTypeScript(projectDir);
require('./typeorm-child.ts')
  .main(process.argv.slice(3), startedAt)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
