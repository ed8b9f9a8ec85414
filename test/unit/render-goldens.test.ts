/**
 * Render goldens (DESIGN.md, "Testing layers" 3): the SQL of every change kind on PostgreSQL and MySQL side by side,
 * hostile identifiers and literals included. The renderType round-trip property is in render-types.test.ts.
 */
import type { Change, TableRef } from '../../src/change/change';
import { diffColumn } from '../../src/diff/diff-column';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { postgresSql } from '../../src/dialect/postgres/render';
import type { RenderContext } from '../../src/dialect/sql-dialect';
import type { Column, EnumType, Table } from '../../src/model/schema';
import { SchemaSyncError } from '../../src/util/errors';
import {
  array,
  bigint,
  bool,
  check,
  col,
  decimal,
  enumType,
  expr,
  fk,
  index,
  int,
  json,
  literal,
  pgEnum,
  schema,
  set,
  table,
  text,
  timestamp,
  unique,
  varchar,
} from '../support/schema-builders';

/** What a dialect is expected to produce: statements, or an UNSUPPORTED error matching the pattern. */
type Expected = readonly string[] | { readonly throws: RegExp };

interface Golden {
  readonly name: string;
  /** One change for both, or one per dialect where the values are dialect-specific (collation names). */
  readonly change: Change | { readonly postgres: Change; readonly mysql: Change };
  /** Tables and enums before the change (the renderers that consult the context need them). */
  readonly before?: { readonly tables?: readonly Table[]; readonly enums?: readonly EnumType[] };
  readonly postgres: Expected;
  readonly mysql: Expected;
}

const ref = (name: string, schemaName: string | null = null): TableRef => ({ schema: schemaName, name });
const alter = (tableName: string, from: Column, to: Column): Change => ({ kind: 'alter_column', table: ref(tableName), from, to, changed: diffColumn(from, to) });

/** A literal with both a quote and a backslash: doubled quote everywhere, escaped backslash on MySQL only. */
const HOSTILE_LITERAL = `it's C:\\dir`;

const users = table(
  'users',
  [col('id', int(), { generation: 'increment' }), col('email', varchar(255)), col('name', text(), { nullable: true, comment: HOSTILE_LITERAL })],
  { pk: ['id'], uniques: [unique('users_email_uq', ['email'])], indexes: [index('users_name_idx', ['name', 'email'])], comment: 'people' },
);

const hostile = table(
  'order',
  [col('select', int()), col('we"ird`', varchar(10), { nullable: true, default: literal(HOSTILE_LITERAL) }), col('café_ünïcode', bool(), { default: literal('true') })],
  { schema: 'sales "eu"', pk: ['select'], pkName: 'order"pk', comment: HOSTILE_LITERAL },
);

const posts = table('posts', [col('id', int()), col('author_id', int(), { nullable: true })], {
  pk: ['id'],
  foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'], { onDelete: 'CASCADE' })],
});

const mood = pgEnum('mood', ['sad', 'ok', 'happy']);
const moodType = enumType(mood.values, 'mood');

const GOLDENS: readonly Golden[] = [
  {
    name: 'create_table with keys, indexes, comments and an attached foreign key',
    change: { kind: 'create_table', table: { ...users, foreignKeys: [fk('users_self_fk', ['id'], 'users', ['id'])] } },
    postgres: [
      'CREATE TABLE "users" ("id" SERIAL NOT NULL, "email" varchar(255) NOT NULL, "name" text, CONSTRAINT "PK_users" PRIMARY KEY ("id"), CONSTRAINT "users_email_uq" UNIQUE ("email"))',
      `COMMENT ON TABLE "users" IS 'people'`,
      String.raw`COMMENT ON COLUMN "users"."name" IS 'it''s C:\dir'`,
      'CREATE INDEX "users_name_idx" ON "users" ("name", "email")',
      'ALTER TABLE "users" ADD CONSTRAINT "users_self_fk" FOREIGN KEY ("id") REFERENCES "users" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    ],
    mysql: [
      "CREATE TABLE `users` (`id` int NOT NULL AUTO_INCREMENT, `email` varchar(255) NOT NULL, `name` text NULL COMMENT 'it''s C:\\\\dir', PRIMARY KEY (`id`), UNIQUE INDEX `users_email_uq` (`email`), INDEX `users_name_idx` (`name`, `email`)) ENGINE=InnoDB COMMENT='people'",
      'ALTER TABLE `users` ADD CONSTRAINT `users_self_fk` FOREIGN KEY (`id`) REFERENCES `users` (`id`) ON DELETE NO ACTION ON UPDATE NO ACTION',
    ],
  },
  {
    name: 'create_table with hostile identifiers in a schema',
    change: { kind: 'create_table', table: hostile },
    postgres: [
      "CREATE TABLE \"sales \"\"eu\"\"\".\"order\" (\"select\" integer NOT NULL, \"we\"\"ird`\" varchar(10) DEFAULT 'it''s C:\\dir', \"café_ünïcode\" boolean NOT NULL DEFAULT true, CONSTRAINT \"order\"\"pk\" PRIMARY KEY (\"select\"))",
      String.raw`COMMENT ON TABLE "sales ""eu"""."order" IS 'it''s C:\dir'`,
    ],
    mysql: [
      "CREATE TABLE `sales \"eu\"`.`order` (`select` int NOT NULL, `we\"ird``` varchar(10) NULL DEFAULT 'it''s C:\\\\dir', `café_ünïcode` tinyint(1) NOT NULL DEFAULT 1, PRIMARY KEY (`select`)) ENGINE=InnoDB COMMENT='it''s C:\\\\dir'",
    ],
  },
  {
    name: 'create_table with every generation',
    change: {
      kind: 'create_table',
      table: table('gen', [
        col('a', int({}), { generation: 'increment' }),
        col('b', bigint(), { generation: 'increment', nullable: true }),
        col('c', int(), { generation: 'identity-always' }),
        col('d', bigint(), { generation: 'identity-by-default' }),
      ]),
    },
    postgres: [
      'CREATE TABLE "gen" ("a" SERIAL NOT NULL, "b" BIGSERIAL, "c" integer GENERATED ALWAYS AS IDENTITY NOT NULL, "d" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL)',
      'ALTER TABLE "gen" ALTER COLUMN "b" DROP NOT NULL',
    ],
    mysql: { throws: /no identity columns.*gen\.c/ },
  },
  {
    name: 'create_table with unique constraints that repeat the primary key or each other (added after the table on PostgreSQL)',
    change: {
      kind: 'create_table',
      table: table('k', [col('a', int()), col('b', int())], {
        pk: ['a'],
        pkName: 'k_pkey',
        uniques: [unique('k_a_key', ['a']), unique('k_b_key', ['b']), unique('k_b_again', ['b']), unique('k_ba_key', ['b', 'a'])],
      }),
    },
    postgres: [
      'CREATE TABLE "k" ("a" integer NOT NULL, "b" integer NOT NULL, CONSTRAINT "k_pkey" PRIMARY KEY ("a"), CONSTRAINT "k_b_key" UNIQUE ("b"), CONSTRAINT "k_ba_key" UNIQUE ("b", "a"))',
      'ALTER TABLE "k" ADD CONSTRAINT "k_a_key" UNIQUE ("a")',
      'ALTER TABLE "k" ADD CONSTRAINT "k_b_again" UNIQUE ("b")',
    ],
    mysql: [
      'CREATE TABLE `k` (`a` int NOT NULL, `b` int NOT NULL, PRIMARY KEY (`a`), UNIQUE INDEX `k_a_key` (`a`), UNIQUE INDEX `k_b_key` (`b`), UNIQUE INDEX `k_b_again` (`b`), UNIQUE INDEX `k_ba_key` (`b`, `a`)) ENGINE=InnoDB',
    ],
  },
  {
    name: 'drop_table',
    change: { kind: 'drop_table', table: hostile },
    postgres: ['DROP TABLE "sales ""eu"""."order"'],
    mysql: ['DROP TABLE `sales "eu"`.`order`'],
  },
  {
    name: 'rename_table in its schema',
    change: { kind: 'rename_table', from: ref('users'), to: ref('members') },
    postgres: ['ALTER TABLE "users" RENAME TO "members"'],
    mysql: ['RENAME TABLE `users` TO `members`'],
  },
  {
    name: 'rename_table to another schema and name',
    change: { kind: 'rename_table', from: ref('users'), to: ref('people', 'archive') },
    before: { tables: [users] },
    postgres: [
      'ALTER TABLE "users" SET SCHEMA "archive"',
      'ALTER TABLE "archive"."users" RENAME TO "people"',
      'ALTER SEQUENCE IF EXISTS "archive"."users_id_seq" RENAME TO "people_id_seq"',
    ],
    mysql: ['RENAME TABLE `users` TO `archive`.`people`'],
  },
  {
    name: 'rename_table to the default schema',
    change: { kind: 'rename_table', from: ref('users', 'archive'), to: ref('users') },
    postgres: ['ALTER TABLE "archive"."users" SET SCHEMA "public"'],
    mysql: ['RENAME TABLE `archive`.`users` TO `users`'],
  },
  {
    name: 'add_column with a hostile default and comment',
    change: { kind: 'add_column', table: ref('order', 'sales "eu"'), column: col('note`"', varchar(50), { default: literal(HOSTILE_LITERAL), comment: HOSTILE_LITERAL }) },
    postgres: [
      "ALTER TABLE \"sales \"\"eu\"\"\".\"order\" ADD COLUMN \"note`\"\"\" varchar(50) NOT NULL DEFAULT 'it''s C:\\dir'",
      "COMMENT ON COLUMN \"sales \"\"eu\"\"\".\"order\".\"note`\"\"\" IS 'it''s C:\\dir'",
    ],
    mysql: ["ALTER TABLE `sales \"eu\"`.`order` ADD COLUMN `note``\"` varchar(50) NOT NULL DEFAULT 'it''s C:\\\\dir' COMMENT 'it''s C:\\\\dir'"],
  },
  {
    name: 'add_column serial / auto increment',
    change: { kind: 'add_column', table: ref('users'), column: col('seq', bigint(), { generation: 'increment' }) },
    postgres: ['ALTER TABLE "users" ADD COLUMN "seq" BIGSERIAL NOT NULL'],
    mysql: ['ALTER TABLE `users` ADD COLUMN `seq` bigint NOT NULL AUTO_INCREMENT'],
  },
  {
    name: 'add_column generated (stored), with no default or NULL clause on MySQL',
    change: { kind: 'add_column', table: ref('items'), column: { ...col('total', int()), computed: { expression: '"qty" * 2', stored: true } } },
    postgres: ['ALTER TABLE "items" ADD COLUMN "total" integer GENERATED ALWAYS AS ("qty" * 2) STORED NOT NULL'],
    mysql: ['ALTER TABLE `items` ADD COLUMN `total` int AS ("qty" * 2) STORED'],
  },
  {
    name: 'add_column generated (virtual): MySQL only',
    change: { kind: 'add_column', table: ref('items'), column: { ...col('label', varchar(9), { nullable: true }), computed: { expression: "concat('#', id)", stored: false } } },
    postgres: { throws: /PostgreSQL stores every generated column: items\.label cannot be VIRTUAL/ },
    mysql: ["ALTER TABLE `items` ADD COLUMN `label` varchar(9) AS (concat('#', id)) VIRTUAL"],
  },
  {
    name: 'alter_column turning a column generated: dropped and made again',
    change: {
      kind: 'alter_column',
      table: ref('items'),
      from: col('total', int()),
      to: { ...col('total', int()), computed: { expression: 'qty * 2', stored: true } },
      changed: ['computed'],
    },
    postgres: ['ALTER TABLE "items" DROP COLUMN "total"', 'ALTER TABLE "items" ADD COLUMN "total" integer GENERATED ALWAYS AS (qty * 2) STORED NOT NULL'],
    mysql: ['ALTER TABLE `items` DROP COLUMN `total`', 'ALTER TABLE `items` ADD COLUMN `total` int AS (qty * 2) STORED'],
  },
  {
    name: 'add_exclusion: PostgreSQL only',
    change: { kind: 'add_exclusion', table: ref('bookings'), exclusion: { name: 'no "overlap"', expression: 'USING gist (tsrange("startsAt", "endsAt") WITH &&)' } },
    postgres: ['ALTER TABLE "bookings" ADD CONSTRAINT "no ""overlap""" EXCLUDE USING gist (tsrange("startsAt", "endsAt") WITH &&)'],
    mysql: { throws: /MySQL and MariaDB have no exclusion constraints \(bookings\.no "overlap"\)/ },
  },
  {
    name: 'drop_exclusion',
    change: { kind: 'drop_exclusion', table: ref('bookings'), exclusion: { name: 'no_overlap', expression: 'USING gist (during WITH &&)' } },
    postgres: ['ALTER TABLE "bookings" DROP CONSTRAINT "no_overlap"'],
    mysql: { throws: /no exclusion constraints/ },
  },
  {
    name: 'add_column decimal with a negative default',
    change: {
      kind: 'add_column',
      table: ref('users'),
      column: col('score', decimal(10, 2), { nullable: true, default: literal('-1.50') }),
    },
    postgres: ['ALTER TABLE "users" ADD COLUMN "score" numeric(10,2) DEFAULT -1.50'],
    mysql: ['ALTER TABLE `users` ADD COLUMN `score` decimal(10,2) NULL DEFAULT -1.50'],
  },
  {
    name: 'add_column boolean',
    change: { kind: 'add_column', table: ref('users'), column: col('active', bool(), { default: literal('false') }) },
    postgres: ['ALTER TABLE "users" ADD COLUMN "active" boolean NOT NULL DEFAULT false'],
    mysql: ['ALTER TABLE `users` ADD COLUMN `active` tinyint(1) NOT NULL DEFAULT 0'],
  },
  {
    name: 'add_column json',
    change: { kind: 'add_column', table: ref('users'), column: col('prefs', json(), { default: literal('{"a": 1}') }) },
    postgres: [`ALTER TABLE "users" ADD COLUMN "prefs" json NOT NULL DEFAULT '{"a": 1}'`],
    mysql: ["ALTER TABLE `users` ADD COLUMN `prefs` json NOT NULL DEFAULT ('{\"a\": 1}')"],
  },
  {
    name: 'add_column timestamp with an expression default',
    change: { kind: 'add_column', table: ref('users'), column: col('created', timestamp(6), { default: expr('current_timestamp(6)') }) },
    postgres: ['ALTER TABLE "users" ADD COLUMN "created" timestamp(6) NOT NULL DEFAULT current_timestamp(6)'],
    mysql: ['ALTER TABLE `users` ADD COLUMN `created` timestamp(6) NOT NULL DEFAULT current_timestamp(6)'],
  },
  {
    name: 'add_column text with a literal default',
    change: { kind: 'add_column', table: ref('users'), column: col('bio', text(), { default: literal('') }) },
    postgres: [`ALTER TABLE "users" ADD COLUMN "bio" text NOT NULL DEFAULT ''`],
    mysql: ["ALTER TABLE `users` ADD COLUMN `bio` text NOT NULL DEFAULT ('')"],
  },
  {
    name: 'add_column inline enum and set',
    change: { kind: 'add_column', table: ref('users'), column: col('tags', set(['a', "b'c", 'd\\e']), { default: literal('a') }) },
    postgres: { throws: /PostgreSQL has no set type \(users\.tags\)/ },
    mysql: ["ALTER TABLE `users` ADD COLUMN `tags` set('a','b''c','d\\\\e') NOT NULL DEFAULT 'a'"],
  },
  {
    name: 'add_column of a named enum array',
    change: { kind: 'add_column', table: ref('users'), column: col('moods', array(enumType(['a'], 'audit.mood')), { default: literal('{a}') }) },
    postgres: [`ALTER TABLE "users" ADD COLUMN "moods" "audit"."mood"[] NOT NULL DEFAULT '{a}'`],
    mysql: { throws: /no array type \(users\.moods\)/ },
  },
  {
    name: 'drop_column',
    change: { kind: 'drop_column', table: ref('order', 'sales "eu"'), column: col('we"ird`', varchar(10)) },
    postgres: ['ALTER TABLE "sales ""eu"""."order" DROP COLUMN "we""ird`"'],
    mysql: ['ALTER TABLE `sales "eu"`.`order` DROP COLUMN `we"ird```'],
  },
  {
    name: 'rename_column',
    change: { kind: 'rename_column', table: ref('users'), from: col('name', text()), to: col('full name', text()) },
    postgres: ['ALTER TABLE "users" RENAME COLUMN "name" TO "full name"'],
    mysql: ['ALTER TABLE `users` RENAME COLUMN `name` TO `full name`'],
  },
  {
    name: 'rename_column of a JSON column (CHANGE COLUMN on MySQL: MariaDB\'s json_valid() check must follow the name)',
    change: { kind: 'rename_column', table: ref('chunks'), from: col('embeddings', json(), { nullable: true }), to: col('embedding', json(), { nullable: true }) },
    postgres: ['ALTER TABLE "chunks" RENAME COLUMN "embeddings" TO "embedding"'],
    mysql: ['ALTER TABLE `chunks` CHANGE COLUMN `embeddings` `embedding` json NULL'],
  },
  {
    name: 'rename_column of a serial column (its sequence follows)',
    change: {
      kind: 'rename_column',
      table: ref('users'),
      from: col('id', int(), { generation: 'increment' }),
      to: col('user id', int(), { generation: 'increment' }),
    },
    postgres: ['ALTER TABLE "users" RENAME COLUMN "id" TO "user id"', 'ALTER SEQUENCE IF EXISTS "users_id_seq" RENAME TO "users_user id_seq"'],
    mysql: ['ALTER TABLE `users` RENAME COLUMN `id` TO `user id`'],
  },
  {
    name: 'alter_column type with a default',
    change: alter('users', col('n', int(), { default: literal('5') }), col('n', bigint(), { default: literal('5') })),
    postgres: [
      'ALTER TABLE "users" ALTER COLUMN "n" DROP DEFAULT',
      'ALTER TABLE "users" ALTER COLUMN "n" TYPE bigint USING "n"::bigint',
      'ALTER TABLE "users" ALTER COLUMN "n" SET DEFAULT 5',
    ],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `n` bigint NOT NULL DEFAULT 5'],
  },
  {
    name: 'alter_column type of a serial column (its sequence follows)',
    change: alter('users', col('id', int(), { generation: 'increment' }), col('id', bigint(), { generation: 'increment' })),
    postgres: ['ALTER TABLE "users" ALTER COLUMN "id" TYPE bigint USING "id"::bigint', 'ALTER SEQUENCE IF EXISTS "users_id_seq" AS bigint'],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `id` bigint NOT NULL AUTO_INCREMENT'],
  },
  {
    name: 'alter_column type to a named enum (inline on MySQL)',
    change: alter('users', col('state', text(), { default: literal('ok') }), col('state', moodType, { default: literal('ok') })),
    postgres: [
      'ALTER TABLE "users" ALTER COLUMN "state" DROP DEFAULT',
      'ALTER TABLE "users" ALTER COLUMN "state" TYPE "mood" USING "state"::text::"mood"',
      `ALTER TABLE "users" ALTER COLUMN "state" SET DEFAULT 'ok'`,
    ],
    mysql: ["ALTER TABLE `users` MODIFY COLUMN `state` enum('sad','ok','happy') NOT NULL DEFAULT 'ok'"],
  },
  {
    name: 'alter_column from an enum to another type casts through text',
    change: alter('users', col('state', moodType, { default: literal('ok') }), col('state', bool(), { nullable: true })),
    postgres: [
      'ALTER TABLE "users" ALTER COLUMN "state" DROP DEFAULT',
      'ALTER TABLE "users" ALTER COLUMN "state" TYPE boolean USING "state"::text::boolean',
      'ALTER TABLE "users" ALTER COLUMN "state" DROP NOT NULL',
    ],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `state` tinyint(1) NULL'],
  },
  {
    name: 'alter_column between boolean and a number other than integer casts through integer',
    change: alter('users', col('flag', bool()), col('flag', bigint())),
    postgres: ['ALTER TABLE "users" ALTER COLUMN "flag" TYPE bigint USING "flag"::integer::bigint'],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `flag` bigint NOT NULL'],
  },
  {
    name: 'alter_column from an array of an enum to an array of another type casts through text[]',
    change: alter('users', col('states', array(moodType)), col('states', array(int()))),
    postgres: ['ALTER TABLE "users" ALTER COLUMN "states" TYPE integer[] USING "states"::text[]::integer[]'],
    mysql: { throws: /no array type/ },
  },
  {
    name: 'alter_column nullability, default and comment',
    change: alter('users', col('name', varchar(100), { nullable: true }), col('name', varchar(100), { default: literal(HOSTILE_LITERAL), comment: 'shown' })),
    postgres: [
      'ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL',
      String.raw`ALTER TABLE "users" ALTER COLUMN "name" SET DEFAULT 'it''s C:\dir'`,
      `COMMENT ON COLUMN "users"."name" IS 'shown'`,
    ],
    mysql: ["ALTER TABLE `users` MODIFY COLUMN `name` varchar(100) NOT NULL DEFAULT 'it''s C:\\\\dir' COMMENT 'shown'"],
  },
  {
    name: 'alter_column plain to auto increment',
    change: alter('users', col('id', int(), { default: literal('0') }), col('id', int(), { generation: 'increment' })),
    postgres: [
      'ALTER TABLE "users" ALTER COLUMN "id" DROP DEFAULT',
      'CREATE SEQUENCE "users_id_seq" AS integer OWNED BY "users"."id"',
      `ALTER TABLE "users" ALTER COLUMN "id" SET DEFAULT nextval('"users_id_seq"'::regclass)`,
      `SELECT setval(pg_get_serial_sequence('"users"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "users"`,
    ],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `id` int NOT NULL AUTO_INCREMENT'],
  },
  {
    name: 'alter_column auto increment to plain',
    change: alter('users', col('id', int(), { generation: 'increment' }), col('id', int())),
    postgres: [
      'ALTER TABLE "users" ALTER COLUMN "id" DROP DEFAULT',
      'DROP SEQUENCE IF EXISTS "users_id_seq"',
    ],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `id` int NOT NULL'],
  },
  {
    name: 'alter_column to identity',
    change: alter('users', col('id', int(), { generation: 'increment' }), col('id', int(), { generation: 'identity-always' })),
    postgres: [
      'ALTER TABLE "users" ALTER COLUMN "id" DROP DEFAULT',
      'DROP SEQUENCE IF EXISTS "users_id_seq"',
      'ALTER TABLE "users" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY',
      `SELECT setval(pg_get_serial_sequence('"users"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "users"`,
    ],
    mysql: { throws: /no identity columns/ },
  },
  {
    name: 'alter_column identity kind',
    change: alter('users', col('id', int(), { generation: 'identity-always' }), col('id', int(), { generation: 'identity-by-default' })),
    postgres: ['ALTER TABLE "users" ALTER COLUMN "id" SET GENERATED BY DEFAULT'],
    mysql: { throws: /no identity columns/ },
  },
  {
    name: 'alter_column identity to plain',
    change: alter('users', col('id', int(), { generation: 'identity-always' }), col('id', int())),
    postgres: ['ALTER TABLE "users" ALTER COLUMN "id" DROP IDENTITY'],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `id` int NOT NULL'],
  },
  {
    name: 'alter_column collation (and a MySQL character set)',
    change: {
      postgres: alter('users', col('code', varchar(10)), col('code', varchar(10), { collation: 'C' })),
      mysql: alter('users', col('code', varchar(10)), col('code', varchar(10), { charset: 'latin1', collation: 'latin1_bin' })),
    },
    postgres: ['ALTER TABLE "users" ALTER COLUMN "code" TYPE varchar(10) COLLATE "C"'],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `code` varchar(10) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL'],
  },
  {
    // MODIFY and ALTER TYPE replace the whole definition: a collation the change keeps must be spelled out again.
    name: 'alter_column of the type keeps the column\'s collation',
    change: {
      postgres: alter('users', col('code', varchar(10), { collation: 'C' }), col('code', varchar(20), { collation: 'C' })),
      mysql: alter('users', col('code', varchar(10), { charset: 'latin1', collation: 'latin1_bin' }), col('code', varchar(20), { charset: 'latin1', collation: 'latin1_bin' })),
    },
    postgres: ['ALTER TABLE "users" ALTER COLUMN "code" TYPE varchar(20) COLLATE "C" USING "code"::varchar(20)'],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `code` varchar(20) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL'],
  },
  {
    name: 'alter_column to another character set drops the old one\'s collation',
    change: {
      postgres: alter('users', col('code', text(), { collation: 'C' }), col('code', text(), { collation: 'POSIX' })),
      mysql: alter('users', col('code', text(), { collation: 'utf8mb4_bin' }), col('code', text(), { charset: 'latin1' })),
    },
    postgres: ['ALTER TABLE "users" ALTER COLUMN "code" TYPE text COLLATE "POSIX"'],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `code` text CHARACTER SET latin1 NOT NULL'],
  },
  {
    name: 'alter_column to another character set and a collation of that set',
    change: {
      postgres: alter('users', col('code', text(), { collation: 'C' }), col('code', text(), { collation: 'POSIX', nullable: true })),
      mysql: alter('users', col('code', text(), { collation: 'utf8mb4_bin' }), col('code', text(), { charset: 'latin1', collation: 'latin1_bin' })),
    },
    postgres: ['ALTER TABLE "users" ALTER COLUMN "code" TYPE text COLLATE "POSIX"', 'ALTER TABLE "users" ALTER COLUMN "code" DROP NOT NULL'],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `code` text CHARACTER SET latin1 COLLATE latin1_bin NOT NULL'],
  },
  {
    // Null is what a definition naming none gives: the type's default on PostgreSQL, the table's set on MySQL.
    name: 'alter_column back to the default collation and the table\'s character set',
    change: {
      postgres: alter('users', col('code', text(), { collation: 'C' }), col('code', text())),
      mysql: alter('users', col('code', text(), { charset: 'latin1', collation: 'latin1_bin' }), col('code', text())),
    },
    postgres: ['ALTER TABLE "users" ALTER COLUMN "code" TYPE text'],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `code` text NOT NULL'],
  },
  {
    name: 'alter_primary_key replaced',
    change: { kind: 'alter_primary_key', table: ref('users'), from: { name: 'PK_users', columns: ['id'] }, to: { name: null, columns: ['id', 'email'] } },
    postgres: [
      'ALTER TABLE "users" DROP CONSTRAINT "PK_users"',
      'ALTER TABLE "users" ADD CONSTRAINT "users_pkey" PRIMARY KEY ("id", "email")',
    ],
    mysql: ['ALTER TABLE `users` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `email`)'],
  },
  {
    name: 'alter_primary_key added and removed',
    change: { kind: 'alter_primary_key', table: ref('order', 'sales "eu"'), from: { name: null, columns: ['select'] }, to: null },
    postgres: ['ALTER TABLE "sales ""eu"""."order" DROP CONSTRAINT "order_pkey"'],
    mysql: ['ALTER TABLE `sales "eu"`.`order` DROP PRIMARY KEY'],
  },
  {
    name: 'alter_primary_key that served a foreign key (MySQL keeps an index for it)',
    change: { kind: 'alter_primary_key', table: ref('posts'), from: { name: 'PK_posts', columns: ['author_id', 'id'] }, to: { name: 'PK_posts', columns: ['id'] } },
    before: { tables: [users, { ...posts, primaryKey: { name: 'PK_posts', columns: ['author_id', 'id'] } }] },
    postgres: [
      'ALTER TABLE "posts" DROP CONSTRAINT "PK_posts"',
      'ALTER TABLE "posts" ADD CONSTRAINT "PK_posts" PRIMARY KEY ("id")',
    ],
    mysql: ['ALTER TABLE `posts` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`), ADD INDEX `posts_author_fk` (`author_id`)'],
  },
  {
    name: 'alter_primary_key that now serves a foreign key (MySQL drops the key\'s own index)',
    change: { kind: 'alter_primary_key', table: ref('posts'), from: { name: 'PK_posts', columns: ['id'] }, to: { name: 'PK_posts', columns: ['author_id', 'id'] } },
    before: { tables: [users, posts] },
    postgres: [
      'ALTER TABLE "posts" DROP CONSTRAINT "PK_posts"',
      'ALTER TABLE "posts" ADD CONSTRAINT "PK_posts" PRIMARY KEY ("author_id", "id")',
    ],
    mysql: ['ALTER TABLE `posts` DROP PRIMARY KEY, ADD PRIMARY KEY (`author_id`, `id`), DROP INDEX `posts_author_fk`'],
  },
  {
    name: 'alter_primary_key dropped from an AUTO_INCREMENT column (MySQL takes AUTO_INCREMENT off until a key leads it)',
    change: { kind: 'alter_primary_key', table: ref('users'), from: { name: 'PK_users', columns: ['id'] }, to: null },
    before: { tables: [users] },
    postgres: ['ALTER TABLE "users" DROP CONSTRAINT "PK_users"'],
    mysql: ['ALTER TABLE `users` DROP PRIMARY KEY, MODIFY COLUMN `id` int NOT NULL'],
  },
  {
    name: 'alter_primary_key added on an AUTO_INCREMENT column (MySQL puts AUTO_INCREMENT back)',
    change: { kind: 'alter_primary_key', table: ref('users'), from: null, to: { name: 'PK_users', columns: ['id', 'email'] } },
    before: { tables: [{ ...users, primaryKey: null }] },
    postgres: ['ALTER TABLE "users" ADD CONSTRAINT "PK_users" PRIMARY KEY ("id", "email")'],
    mysql: ['ALTER TABLE `users` ADD PRIMARY KEY (`id`, `email`), MODIFY COLUMN `id` int NOT NULL AUTO_INCREMENT'],
  },
  {
    name: 'alter_column to auto increment while no key leads it (MySQL waits for the key)',
    change: alter('users', col('id', int()), col('id', int(), { generation: 'increment' })),
    before: { tables: [{ ...users, columns: [col('id', int()), ...users.columns.slice(1)], primaryKey: null }] },
    postgres: [
      'CREATE SEQUENCE "users_id_seq" AS integer OWNED BY "users"."id"',
      `ALTER TABLE "users" ALTER COLUMN "id" SET DEFAULT nextval('"users_id_seq"'::regclass)`,
      `SELECT setval(pg_get_serial_sequence('"users"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "users"`,
    ],
    mysql: ['ALTER TABLE `users` MODIFY COLUMN `id` int NOT NULL'],
  },
  {
    name: 'create_index plain',
    change: { kind: 'create_index', table: ref('users'), index: index('users name `idx`', ['name', 'email']) },
    before: { tables: [users] },
    postgres: ['CREATE INDEX "users name `idx`" ON "users" ("name", "email")'],
    mysql: ['CREATE INDEX `users name ``idx``` ON `users` (`name`, `email`)'],
  },
  {
    name: 'create_index unique, in a schema',
    change: { kind: 'create_index', table: ref('order', 'sales "eu"'), index: index('order_uq', ['select'], { unique: true }) },
    postgres: ['CREATE UNIQUE INDEX "order_uq" ON "sales ""eu"""."order" ("select")'],
    mysql: ['CREATE UNIQUE INDEX `order_uq` ON `sales "eu"`.`order` (`select`)'],
  },
  {
    name: 'create_index partial with a method and an expression key',
    change: { kind: 'create_index', table: ref('users'), index: index('users_live', ['lower(email)', 'name'], { method: 'gin', where: 'deleted_at IS NULL' }) },
    before: { tables: [users] },
    postgres: ['CREATE INDEX "users_live" ON "users" USING gin ((lower(email)), "name") WHERE deleted_at IS NULL'],
    mysql: { throws: /no partial indexes \(users\.users_live WHERE deleted_at IS NULL\)/ },
  },
  {
    name: 'create_index fulltext',
    change: { kind: 'create_index', table: ref('users'), index: index('users_ft', ['name'], { method: 'fulltext' }) },
    postgres: { throws: /PostgreSQL has no fulltext index method \(users\.users_ft\)/ },
    mysql: ['CREATE FULLTEXT INDEX `users_ft` ON `users` (`name`)'],
  },
  {
    name: 'drop_index',
    change: { kind: 'drop_index', table: ref('order', 'sales "eu"'), index: index('order_idx', ['select']) },
    postgres: ['DROP INDEX "sales ""eu"""."order_idx"'],
    mysql: ['DROP INDEX `order_idx` ON `sales "eu"`.`order`'],
  },
  {
    name: 'drop_index that served a foreign key (MySQL re-creates the key index)',
    change: { kind: 'drop_index', table: ref('posts'), index: index('posts_author', ['author_id']) },
    before: { tables: [users, { ...posts, indexes: [index('posts_author', ['author_id'])] }] },
    postgres: ['DROP INDEX "posts_author"'],
    mysql: ['ALTER TABLE `posts` DROP INDEX `posts_author`, ADD INDEX `posts_author_fk` (`author_id`)'],
  },
  {
    name: 'create_index that serves a foreign key (MySQL drops the key\'s own index)',
    change: { kind: 'create_index', table: ref('posts'), index: index('posts_author', ['author_id'], { unique: true }) },
    before: { tables: [users, posts] },
    postgres: ['CREATE UNIQUE INDEX "posts_author" ON "posts" ("author_id")'],
    mysql: ['ALTER TABLE `posts` ADD UNIQUE INDEX `posts_author` (`author_id`), DROP INDEX `posts_author_fk`'],
  },
  {
    name: 'add_unique that serves a foreign key served by another index',
    change: { kind: 'add_unique', table: ref('posts'), unique: unique('posts_author_uq', ['author_id']) },
    before: { tables: [users, { ...posts, indexes: [index('posts_author', ['author_id'])] }] },
    postgres: ['ALTER TABLE "posts" ADD CONSTRAINT "posts_author_uq" UNIQUE ("author_id")'],
    mysql: ['CREATE UNIQUE INDEX `posts_author_uq` ON `posts` (`author_id`)'],
  },
  {
    name: 'drop_index of the last key leading an AUTO_INCREMENT column (MySQL takes AUTO_INCREMENT off)',
    change: { kind: 'drop_index', table: ref('users'), index: index('users_id_idx', ['id']) },
    before: { tables: [{ ...users, primaryKey: null, indexes: [index('users_id_idx', ['id'])] }] },
    postgres: ['DROP INDEX "users_id_idx"'],
    mysql: ['ALTER TABLE `users` DROP INDEX `users_id_idx`, MODIFY COLUMN `id` int NOT NULL'],
  },
  {
    name: 'add_unique',
    change: { kind: 'add_unique', table: ref('users'), unique: unique('users_email_uq', ['email', 'name']) },
    postgres: ['ALTER TABLE "users" ADD CONSTRAINT "users_email_uq" UNIQUE ("email", "name")'],
    mysql: ['CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`, `name`)'],
  },
  {
    name: 'drop_unique',
    change: { kind: 'drop_unique', table: ref('users'), unique: unique('users_email_uq', ['email']) }, before: { tables: [users] },
    postgres: ['ALTER TABLE "users" DROP CONSTRAINT "users_email_uq"'],
    mysql: ['DROP INDEX `users_email_uq` ON `users`'],
  },
  {
    name: 'add_foreign_key to another schema',
    change: {
      kind: 'add_foreign_key',
      table: ref('posts'),
      foreignKey: fk('posts_order_fk', ['id'], 'order', ['select'], { referencedSchema: 'sales "eu"', onDelete: 'SET NULL', onUpdate: 'RESTRICT' }),
    },
    postgres: [
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_order_fk" FOREIGN KEY ("id") REFERENCES "sales ""eu"""."order" ("select") ON DELETE SET NULL ON UPDATE RESTRICT',
    ],
    mysql: ['ALTER TABLE `posts` ADD CONSTRAINT `posts_order_fk` FOREIGN KEY (`id`) REFERENCES `sales "eu"`.`order` (`select`) ON DELETE SET NULL ON UPDATE RESTRICT'],
  },
  {
    name: 'drop_foreign_key with its own MySQL index',
    change: { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('posts_author_fk', ['author_id'], 'users', ['id']) },
    before: { tables: [users, posts] },
    postgres: ['ALTER TABLE "posts" DROP CONSTRAINT "posts_author_fk"'],
    mysql: ['ALTER TABLE `posts` DROP FOREIGN KEY `posts_author_fk`, DROP INDEX `posts_author_fk`'],
  },
  {
    name: 'drop_foreign_key served by another index',
    change: { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('posts_author_fk', ['author_id'], 'users', ['id']) },
    before: { tables: [users, { ...posts, indexes: [index('posts_author', ['author_id', 'id'])] }] },
    postgres: ['ALTER TABLE "posts" DROP CONSTRAINT "posts_author_fk"'],
    mysql: ['ALTER TABLE `posts` DROP FOREIGN KEY `posts_author_fk`'],
  },
  {
    name: 'drop_foreign_key whose own MySQL index serves a shorter key',
    change: { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('posts_pair_fk', ['author_id', 'id'], 'users', ['id', 'id']) },
    before: { tables: [users, { ...posts, foreignKeys: [...posts.foreignKeys, fk('posts_pair_fk', ['author_id', 'id'], 'users', ['id', 'id'])] }] },
    postgres: ['ALTER TABLE "posts" DROP CONSTRAINT "posts_pair_fk"'],
    mysql: ['ALTER TABLE `posts` DROP FOREIGN KEY `posts_pair_fk`, DROP INDEX `posts_pair_fk`, ADD INDEX `posts_author_fk` (`author_id`)'],
  },
  {
    name: 'drop_foreign_key served by a longer key',
    change: { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('posts_author_fk', ['author_id'], 'users', ['id']) },
    before: { tables: [users, { ...posts, foreignKeys: [...posts.foreignKeys, fk('posts_pair_fk', ['author_id', 'id'], 'users', ['id', 'id'])] }] },
    postgres: ['ALTER TABLE "posts" DROP CONSTRAINT "posts_author_fk"'],
    mysql: ['ALTER TABLE `posts` DROP FOREIGN KEY `posts_author_fk`'],
  },
  {
    name: 'add_foreign_key longer than a key with its own MySQL index',
    change: { kind: 'add_foreign_key', table: ref('posts'), foreignKey: fk('posts_pair_fk', ['author_id', 'id'], 'users', ['id', 'id']) },
    before: { tables: [users, posts] },
    postgres: ['ALTER TABLE "posts" ADD CONSTRAINT "posts_pair_fk" FOREIGN KEY ("author_id", "id") REFERENCES "users" ("id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION'],
    mysql: ['ALTER TABLE `posts` ADD CONSTRAINT `posts_pair_fk` FOREIGN KEY (`author_id`, `id`) REFERENCES `users` (`id`, `id`) ON DELETE NO ACTION ON UPDATE NO ACTION, DROP INDEX `posts_author_fk`'],
  },
  {
    name: 'rename_index in a schema',
    change: { kind: 'rename_index', table: ref('order', 'sales'), from: index('IDX_old', ['select']), to: index('idx "new"', ['select']) },
    postgres: ['ALTER INDEX "sales"."IDX_old" RENAME TO "idx ""new"""'],
    mysql: ['ALTER TABLE `sales`.`order` RENAME INDEX `IDX_old` TO `idx "new"`'],
  },
  {
    name: 'rename_unique',
    change: { kind: 'rename_unique', table: ref('users'), from: unique('UQ_old', ['email']), to: unique('UQ_new', ['email']) },
    postgres: ['ALTER TABLE "users" RENAME CONSTRAINT "UQ_old" TO "UQ_new"'],
    mysql: ['ALTER TABLE `users` RENAME INDEX `UQ_old` TO `UQ_new`'],
  },
  {
    name: 'rename_foreign_key with its own MySQL index (renamed with it)',
    change: {
      kind: 'rename_foreign_key',
      table: ref('posts'),
      from: fk('posts_author_fk', ['author_id'], 'users', ['id'], { onDelete: 'CASCADE' }),
      to: fk('FK_posts_author', ['author_id'], 'users', ['id'], { onDelete: 'CASCADE' }),
    },
    before: { tables: [users, posts] },
    postgres: ['ALTER TABLE "posts" RENAME CONSTRAINT "posts_author_fk" TO "FK_posts_author"'],
    mysql: [
      'ALTER TABLE `posts` DROP FOREIGN KEY `posts_author_fk`, ADD CONSTRAINT `FK_posts_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION, RENAME INDEX `posts_author_fk` TO `FK_posts_author`',
    ],
  },
  {
    name: 'rename_foreign_key served by another index',
    change: { kind: 'rename_foreign_key', table: ref('posts'), from: fk('posts_author_fk', ['author_id'], 'users', ['id']), to: fk('FK_posts_author', ['author_id'], 'users', ['id']) },
    before: { tables: [users, { ...posts, indexes: [index('posts_author', ['author_id', 'id'])] }] },
    postgres: ['ALTER TABLE "posts" RENAME CONSTRAINT "posts_author_fk" TO "FK_posts_author"'],
    mysql: ['ALTER TABLE `posts` DROP FOREIGN KEY `posts_author_fk`, ADD CONSTRAINT `FK_posts_author` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION ON UPDATE NO ACTION'],
  },
  {
    name: 'add_check',
    change: { kind: 'add_check', table: ref('users'), check: check('users_name_ck', "char_length(name) > 0 AND name <> 'it''s'") },
    postgres: [`ALTER TABLE "users" ADD CONSTRAINT "users_name_ck" CHECK (char_length(name) > 0 AND name <> 'it''s')`],
    mysql: ["ALTER TABLE `users` ADD CONSTRAINT `users_name_ck` CHECK (char_length(name) > 0 AND name <> 'it''s')"],
  },
  {
    name: 'drop_check',
    change: { kind: 'drop_check', table: ref('users'), check: check('users_name_ck', 'x') },
    postgres: ['ALTER TABLE "users" DROP CONSTRAINT "users_name_ck"'],
    mysql: ['ALTER TABLE `users` DROP CONSTRAINT `users_name_ck`'],
  },
  {
    name: 'alter_table_comment set',
    change: { kind: 'alter_table_comment', table: ref('users'), from: null, to: HOSTILE_LITERAL },
    postgres: [String.raw`COMMENT ON TABLE "users" IS 'it''s C:\dir'`],
    mysql: ["ALTER TABLE `users` COMMENT = 'it''s C:\\\\dir'"],
  },
  {
    name: 'alter_table_comment removed',
    change: { kind: 'alter_table_comment', table: ref('order', 'sales "eu"'), from: 'x', to: null },
    postgres: ['COMMENT ON TABLE "sales ""eu"""."order" IS NULL'],
    mysql: ["ALTER TABLE `sales \"eu\"`.`order` COMMENT = ''"],
  },
  {
    name: 'create_enum with hostile values',
    change: { kind: 'create_enum', enumType: pgEnum('weird "enum"', [HOSTILE_LITERAL, 'a b', 'ünï'], 'audit') },
    postgres: [String.raw`CREATE TYPE "audit"."weird ""enum""" AS ENUM ('it''s C:\dir', 'a b', 'ünï')`],
    mysql: { throws: /no named enum types: create_enum weird "enum"/ },
  },
  {
    name: 'drop_enum',
    change: { kind: 'drop_enum', enumType: mood },
    postgres: ['DROP TYPE "mood"'],
    mysql: { throws: /no named enum types/ },
  },
  {
    name: 'alter_enum adding values in place',
    change: { kind: 'alter_enum', from: mood, to: pgEnum('mood', ['meh', 'sad', 'ok', "it's fine", 'happy', 'ecstatic', 'x']) },
    postgres: [
      `ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'meh' BEFORE 'sad'`,
      `ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'it''s fine' AFTER 'ok'`,
      `ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'ecstatic'`,
      `ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'x'`,
    ],
    mysql: { throws: /no named enum types: alter_enum mood/ },
  },
  {
    name: 'alter_enum removing a value: recreate and convert the columns that use it',
    change: { kind: 'alter_enum', from: mood, to: pgEnum('mood', ['happy', 'ok']) },
    before: {
      enums: [mood],
      tables: [
        table(
          't',
          [
            col('m', moodType, { default: literal('ok') }),
            col('ms', array(moodType), { default: literal('{sad}') }),
            col('gone', moodType, { default: literal('sad') }),
            col('kept', array(moodType), { default: literal('{ok,"happy",NULL}') }),
          ],
          { schema: 'app' },
        ),
        table('u', [col('m', moodType, { nullable: true }), col('other', enumType(['a'], 'audit.mood'))]),
      ],
    },
    postgres: [
      'ALTER TYPE "mood" RENAME TO "mood_old"',
      `CREATE TYPE "mood" AS ENUM ('happy', 'ok')`,
      'ALTER TABLE "app"."t" ALTER COLUMN "m" DROP DEFAULT',
      'ALTER TABLE "app"."t" ALTER COLUMN "m" TYPE "mood" USING "m"::text::"mood"',
      `ALTER TABLE "app"."t" ALTER COLUMN "m" SET DEFAULT 'ok'`,
      'ALTER TABLE "app"."t" ALTER COLUMN "ms" DROP DEFAULT',
      'ALTER TABLE "app"."t" ALTER COLUMN "ms" TYPE "mood"[] USING "ms"::text[]::"mood"[]',
      'ALTER TABLE "app"."t" ALTER COLUMN "gone" DROP DEFAULT',
      'ALTER TABLE "app"."t" ALTER COLUMN "gone" TYPE "mood" USING "gone"::text::"mood"',
      'ALTER TABLE "app"."t" ALTER COLUMN "kept" DROP DEFAULT',
      'ALTER TABLE "app"."t" ALTER COLUMN "kept" TYPE "mood"[] USING "kept"::text[]::"mood"[]',
      `ALTER TABLE "app"."t" ALTER COLUMN "kept" SET DEFAULT '{ok,"happy",NULL}'`,
      'ALTER TABLE "u" ALTER COLUMN "m" TYPE "mood" USING "m"::text::"mood"',
      'DROP TYPE "mood_old"',
    ],
    mysql: { throws: /no named enum types/ },
  },
  {
    name: 'alter_enum recreated under an enum-typed foreign key: the key is dropped around the conversions',
    change: { kind: 'alter_enum', from: mood, to: pgEnum('mood', ['ok', 'sad']) },
    before: {
      enums: [mood],
      tables: [
        table('posts', [col('id', int()), col('author', moodType, { nullable: true })], { foreignKeys: [fk('posts_author_fk', ['author'], 'users', ['id'])] }),
        table('users', [col('id', moodType)], { pk: ['id'], pkName: 'users_pkey' }),
      ],
    },
    postgres: [
      'ALTER TYPE "mood" RENAME TO "mood_old"',
      `CREATE TYPE "mood" AS ENUM ('ok', 'sad')`,
      'ALTER TABLE "posts" DROP CONSTRAINT "posts_author_fk"',
      'ALTER TABLE "posts" ALTER COLUMN "author" TYPE "mood" USING "author"::text::"mood"',
      'ALTER TABLE "users" ALTER COLUMN "id" TYPE "mood" USING "id"::text::"mood"',
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_author_fk" FOREIGN KEY ("author") REFERENCES "users" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
      'DROP TYPE "mood_old"',
    ],
    mysql: { throws: /no named enum types/ },
  },
];

function contextFor(golden: Golden, dialect: 'postgres' | 'mysql'): RenderContext {
  return { before: schema(dialect, golden.before?.tables ?? [], golden.before?.enums ?? []) };
}

describe.each([
  ['postgres', postgresSql],
  ['mysql', mysqlSql],
] as const)('render goldens on %s', (family, dialect) => {
  it.each(GOLDENS.map((golden) => [golden.name, golden] as const))('%s', (_name, golden) => {
    const expected = golden[family];
    const change = 'kind' in golden.change ? golden.change : golden.change[family];
    const render = () => dialect.render(change, contextFor(golden, family));
    if ('throws' in expected) {
      expect(render).toThrow(SchemaSyncError);
      expect(render).toThrow(expected.throws);
    } else {
      expect(render()).toEqual(expected);
    }
  });
});

describe('every change kind has a golden', () => {
  it('covers each kind on both dialects', () => {
    const kinds = new Set(GOLDENS.flatMap((golden) => ('kind' in golden.change ? [golden.change.kind] : [golden.change.postgres.kind, golden.change.mysql.kind])));
    const all: readonly Change['kind'][] = [
      'create_table', 'rename_table', 'drop_table', 'add_column', 'drop_column', 'rename_column', 'alter_column', 'alter_primary_key',
      'create_index', 'drop_index', 'rename_index', 'rename_unique', 'rename_foreign_key', 'add_unique', 'drop_unique', 'add_foreign_key', 'drop_foreign_key', 'add_check', 'drop_check', 'add_exclusion', 'drop_exclusion',
      'alter_table_comment', 'create_enum', 'drop_enum', 'alter_enum',
    ];
    expect([...kinds].sort()).toEqual([...all].sort());
  });
});
