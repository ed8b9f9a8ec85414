import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Integer columns with TypeORM 0.3's display options on MySQL and MariaDB (TypeORM's
 * functional/database-schema/column-width and entity-schema/columns): widths other than the server's default, a
 * width equal to it, ZEROFILL with and without a width. TypeORM 1.x has neither option.
 */
@Entity('meters')
export class Meter {
  @PrimaryColumn({ type: 'int', width: 7 })
  id: number;

  @Column('int', { width: 10 })
  reading: number;

  @Column('tinyint', { width: 2 })
  dial: number;

  @Column('smallint', { width: 6 })
  defaultWidth: number;

  @Column('bigint', { width: 12, unsigned: true })
  serial: number;

  @Column('int', { width: 9, zerofill: true })
  postCode: number;

  @Column('mediumint', { zerofill: true })
  batch: number;
}
