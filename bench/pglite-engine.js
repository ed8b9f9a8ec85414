#!/usr/bin/env node
'use strict';
/*
 * `npm run bench:pglite`: what keeping PGlite's WebAssembly on V8's baseline compiler (--liftoff-only, which the
 * CLI and the conformance workers set: src/connect/wasm-baseline.ts) costs or saves against V8's default (baseline, then hot functions recompiled by TurboFan), on
 * the same work in the same run. Each sample is a fresh process (a CLI run is one), alternating the two settings so
 * neither always runs on a quieter machine: open the embedded database (in memory), then create --tables tables with
 * indexes and foreign keys, introspect them three times, and insert five rows per table. It prints the median CPU
 * and wall time of each stage and the ratio baseline / default (below 1: baseline is cheaper).
 *
 *   npm run build && npm run bench:pglite -- [--tables 300] [--runs 5]
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const DIST = path.join(__dirname, '..', 'dist');
const SETTINGS = { baseline: '--liftoff-only', default: '--no-liftoff-only' };
const STAGES = ['open', 'ddl', 'introspect x3', 'inserts', 'total'];

async function child(tables) {
  const { PgliteClient } = require(path.join(DIST, 'connect', 'pglite-client.js'));
  const { introspect } = require(path.join(DIST, 'introspect', 'introspect.js'));
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const stages = {};
  const time = async (stage, work) => {
    const cpu = cpuMs();
    const wall = performance.now();
    const result = await work();
    stages[stage] = { cpu: cpuMs() - cpu, wall: performance.now() - wall };
    return result;
  };
  const db = await time('open', () => PgliteClient.open(null));
  await time('ddl', async () => {
    for (let i = 0; i < tables; i++) {
      await db.execute(
        `CREATE TABLE t${i} (id serial PRIMARY KEY, a varchar(50) NOT NULL DEFAULT 'x', b int, c jsonb, d timestamptz DEFAULT now(), p int REFERENCES t${Math.max(0, i - 1)}(id));
         CREATE INDEX t${i}_a_b ON t${i} (a, b); CREATE UNIQUE INDEX t${i}_b ON t${i} (b);`,
      );
    }
  });
  await time('introspect x3', async () => {
    for (let round = 0; round < 3; round++) {
      const schema = await introspect(db);
      if (schema.tables.length !== tables) throw new Error(`introspected ${schema.tables.length} tables, created ${tables}`);
    }
  });
  await time('inserts', async () => {
    for (let i = 0; i < tables * 5; i++) await db.query('INSERT INTO t0 (a, b) VALUES ($1, $2)', [`v${i}`, i]);
  });
  await db.close();
  const usage = process.cpuUsage();
  stages.total = { cpu: (usage.user + usage.system) / 1000, wall: performance.now() };
  process.stdout.write(JSON.stringify(stages));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function parent(argv) {
  const option = (name, fallback) => {
    const at = argv.indexOf(`--${name}`);
    const value = at === -1 ? fallback : Number(argv[at + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number above 0, not ${argv[at + 1]}`);
    return value;
  };
  const tables = option('tables', 300);
  const runs = option('runs', 5);
  const samples = { baseline: [], default: [] };
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? ['baseline', 'default'] : ['default', 'baseline'];
    for (const setting of order) {
      const { status, stdout, stderr } = spawnSync(process.execPath, [SETTINGS[setting], __filename, '--child', String(tables)], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      if (status !== 0) throw new Error(`the ${setting} sample failed (exit ${status}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
      samples[setting].push(JSON.parse(stdout));
    }
    process.stderr.write(`run ${run + 1}/${runs} done\n`);
  }
  const rows = [['stage', 'baseline cpu ms', 'default cpu ms', 'cpu ratio', 'baseline wall ms', 'default wall ms', 'wall ratio']];
  for (const stage of STAGES) {
    const of = (setting, measure) => median(samples[setting].map((sample) => sample[stage][measure]));
    const [bc, dc, bw, dw] = [of('baseline', 'cpu'), of('default', 'cpu'), of('baseline', 'wall'), of('default', 'wall')];
    rows.push([stage, bc, dc, bc / dc, bw, dw, bw / dw].map((cell, i) => (typeof cell === 'string' ? cell : i === 3 || i === 6 ? cell.toFixed(2) : String(Math.round(cell)))));
  }
  process.stdout.write(`PGlite, ${tables} tables, median of ${runs} runs per setting (baseline = --liftoff-only, default = V8's tier-up)\n`);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)) + 2);
  for (const row of rows) process.stdout.write(`${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('')}\n`);
}

if (process.argv[2] === '--child') {
  child(Number(process.argv[3])).catch((error) => {
    process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  try {
    parent(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:pglite failed: ${error.message}\n`);
    process.exitCode = 1;
  }
}
