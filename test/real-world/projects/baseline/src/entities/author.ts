import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { Book } from './book';

@Entity('authors')
export class Author {
  @PrimaryGeneratedColumn()
  id!: number;

  // Hand-managed in production (a trigram index the DBA builds): TypeORM never touches it, and neither may we.
  @Index('idx_authors_name_search', { synchronize: false })
  @Column({ length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 2, nullable: true })
  country!: string | null;

  @OneToMany('Book', (book: Book) => book.author)
  books!: Relation<Book>[];
}
