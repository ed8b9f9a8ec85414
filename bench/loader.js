#!/usr/bin/env node
/**
 * `node bench/loader.js --baseline <cli-root> [--files 1000] [--runs 5] [--pg-url URL]`
 *
 * Model loading, this build against a baseline build (`bench/freeze-build.sh <rev>` prints one), on the same generated
 * project: N entity files in import rings of 50 whose relations are typed by the other class (the shape real code
 * has; a baseline that cannot load such cycles gets the same rings typed Relation<> instead, noted in the output).
 * Each run is a whole `schema-sync diff --verbose` child against an empty PostgreSQL database; the "load models" stage
 * timing it prints is compared. Cold: the transpile cache is removed before the run. Warm: the cache is the one the
 * cold run just filled. The contenders alternate, so drift on a shared machine hits both. Prints medians and ratios
 * (this ÷ baseline); the targets are warm ≤ 1.0 and cold ≤ 1.5.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');

const REPO = path.resolve(__dirname, '..');
const USAGE = 'usage: node bench/loader.js --baseline <cli-root> [--files N] [--runs N] [--pg-url URL]';

function parseArgs(argv) {
  const options = { baseline: null, files: 1000, runs: 5, pgUrl: process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--baseline') options.baseline = path.resolve(value);
    else if (flag === '--files') options.files = Number(value);
    else if (flag === '--runs') options.runs = Number(value);
    else if (flag === '--pg-url') options.pgUrl = value;
    else throw new Error(`unknown option ${flag}; ${USAGE}`);
  }
  if (options.baseline === null) throw new Error(`--baseline is required (bench/freeze-build.sh <rev> prints one); ${USAGE}`);
  if (!Number.isInteger(options.files) || options.files < 50) throw new Error('--files must be a whole number of at least 50');
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs must be a positive whole number');
  return options;
}

/** Entity i imports the next and the previous entity of its ring of 50. */
function writeProject(dir, files, wrapInRelation) {
  fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  for (const name of ['typeorm', 'reflect-metadata']) fs.symlinkSync(path.join(REPO, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
  const type = (name) => (wrapInRelation ? `Relation<${name}>` : name);
  for (let i = 0; i < files; i++) {
    const ring = Math.floor(i / 50) * 50;
    const next = ring + ((i - ring + 1) % 50);
    const previous = ring + ((i - ring + 49) % 50);
    fs.writeFileSync(
      path.join(dir, 'models', `e${i}.entity.ts`),
      "import { Column, Entity, Index, ManyToOne, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';\n" +
        `import { E${next} } from './e${next}.entity';\nimport { E${previous} } from './e${previous}.entity';\n` +
        `export enum Status${i} { Draft = 'draft', Live = 'live' }\n` +
        `@Entity()\n@Index(['code', 'status'])\nexport class E${i} {\n  @PrimaryGeneratedColumn() id!: number;\n` +
        `  @Column({ length: 64 }) code!: string;\n  @Column({ type: 'enum', enum: Status${i}, default: Status${i}.Draft }) status!: Status${i};\n` +
        `  @Column({ type: 'text', nullable: true }) body!: string | null;\n  @Column() count!: number;\n  @Column() active!: boolean;\n` +
        `  @Column({ type: 'timestamptz' }) createdAt!: Date;\n` +
        `  @ManyToOne(() => E${next}, (e) => e.previous, { nullable: true }) next!: ${type(`E${next}`)};\n` +
        `  @OneToMany(() => E${previous}, (e) => e.next) previous!: ${type(`E${previous}`)}[];\n}\n`,
    );
  }
}

/** One `diff --verbose` child: its "load models" stage in ms, or the reason it failed. */
function loadModelsMs(cliRoot, project, url) {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  const run = spawnSync(process.execPath, [path.join(cliRoot, 'bin', 'schema-sync.js'), 'diff', '--json', '--verbose', '--url', url, '--project', project], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const match = /load models (\d+(?:\.\d+)?) ms/.exec(run.stderr);
  if (run.status !== 0 || match === null) {
    return { error: (run.stderr.split('\n').find((line) => line.startsWith('schema-sync:')) ?? run.stderr).slice(0, 300) };
  }
  return { ms: Number(match[1]) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function withDatabase(adminUrl, body) {
  const name = `oss_bench_loader_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await body(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

async function measure(options, url, root) {
  const cyclic = path.join(root, 'cyclic');
  writeProject(cyclic, options.files, false);
  let baselineProject = cyclic;
  let note = 'both load the same files, with class-typed relations';
  if ('error' in loadModelsMs(options.baseline, cyclic, url)) {
    baselineProject = path.join(root, 'wrapped');
    writeProject(baselineProject, options.files, true);
    note = 'the baseline cannot load class-typed import cycles, so it loads the same rings typed Relation<>';
  }
  const contenders = [
    { name: 'this build', cliRoot: REPO, project: cyclic, cold: [], warm: [] },
    { name: 'baseline', cliRoot: options.baseline, project: baselineProject, cold: [], warm: [] },
  ];
  for (let run = 0; run < options.runs; run++) {
    for (const contender of run % 2 === 0 ? contenders : [...contenders].reverse()) {
      fs.rmSync(path.join(contender.project, 'node_modules', '.cache'), { recursive: true, force: true });
      for (const kind of ['cold', 'warm']) {
        const result = loadModelsMs(contender.cliRoot, contender.project, url);
        if ('error' in result) throw new Error(`${contender.name}, ${kind} run: ${result.error}`);
        contender[kind].push(result.ms);
      }
    }
  }
  const [ours, base] = contenders;
  console.log(`Model loading: ${options.files} entity files in import rings of 50, median of ${options.runs} runs (${note}).`);
  console.log('');
  console.log('| cache | this build (ms) | baseline (ms) | this ÷ baseline | target |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const [kind, target] of [['warm', 1.0], ['cold', 1.5]]) {
    const ratio = median(ours[kind]) / median(base[kind]);
    console.log(`| ${kind} | ${median(ours[kind]).toFixed(0)} | ${median(base[kind]).toFixed(0)} | ${ratio.toFixed(2)} | ≤ ${target.toFixed(1)}: ${ratio <= target ? 'met' : 'MISSED'} |`);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-bench-loader-'));
  try {
    await withDatabase(options.pgUrl, (url) => measure(options, url, root));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench/loader.js: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
