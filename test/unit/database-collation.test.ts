import { statedAgainstDefaults, statedLikeTheCatalog, type DatabaseCollation } from '../../src/dialect/mysql/database-collation';

/** A database created `CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci` on MariaDB 10.11 (utf8mb4's default is _general_ci). */
const unicode: DatabaseCollation = { charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci', charsetDefaultCollation: 'utf8mb4_general_ci' };
/** A database left at its character set's default collation. */
const general: DatabaseCollation = { charset: 'utf8mb4', collation: 'utf8mb4_general_ci', charsetDefaultCollation: 'utf8mb4_general_ci' };

describe('statedAgainstDefaults', () => {
  it('drops a collation that is the database’s own, with or without its character set', () => {
    expect(statedAgainstDefaults(null, 'utf8mb4_unicode_ci', unicode)).toEqual({ charset: null, collation: null });
    expect(statedAgainstDefaults('utf8mb4', 'utf8mb4_unicode_ci', unicode)).toEqual({ charset: null, collation: null });
  });

  it('drops a character set alone only when its default collation is the database’s', () => {
    expect(statedAgainstDefaults('utf8mb4', null, general)).toEqual({ charset: null, collation: null });
    // CHARACTER SET utf8mb4 alone gives utf8mb4_general_ci, which differs from this database's collation.
    expect(statedAgainstDefaults('utf8mb4', null, unicode)).toEqual({ charset: 'utf8mb4', collation: null });
  });

  it('keeps whatever differs from the database, and everything when the database is unknown', () => {
    expect(statedAgainstDefaults('latin1', null, unicode)).toEqual({ charset: 'latin1', collation: null });
    expect(statedAgainstDefaults(null, 'utf8mb4_bin', unicode)).toEqual({ charset: null, collation: 'utf8mb4_bin' });
    expect(statedAgainstDefaults(null, null, unicode)).toEqual({ charset: null, collation: null });
    expect(statedAgainstDefaults(null, 'utf8mb4_unicode_ci', null)).toEqual({ charset: null, collation: 'utf8mb4_unicode_ci' });
  });
});

describe('statedLikeTheCatalog', () => {
  const defaults = new Map([
    ['cp852', 'cp852_general_ci'],
    ['latin2', 'latin2_general_ci'],
    ['ascii', 'ascii_general_ci'],
  ]);

  it("reads a character set's default collation as the character set alone, stated with it or not", () => {
    expect(statedLikeTheCatalog('cp852', 'cp852_general_ci', defaults)).toEqual({ charset: 'cp852', collation: null });
    expect(statedLikeTheCatalog(null, 'cp852_general_ci', defaults)).toEqual({ charset: 'cp852', collation: null });
  });

  it('keeps any other collation alone, since it implies its character set', () => {
    expect(statedLikeTheCatalog('latin2', 'latin2_czech_cs', defaults)).toEqual({ charset: null, collation: 'latin2_czech_cs' });
    expect(statedLikeTheCatalog(null, 'ascii_bin', defaults)).toEqual({ charset: null, collation: 'ascii_bin' });
  });

  it('leaves a character set alone untouched', () => {
    expect(statedLikeTheCatalog('ascii', null, defaults)).toEqual({ charset: 'ascii', collation: null });
  });
});
