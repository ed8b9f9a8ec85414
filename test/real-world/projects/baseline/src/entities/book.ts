import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Author } from './author';

@Entity('books')
@Index(['author', 'title'], { unique: true })
export class Book {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 300 })
  title!: string;

  @Column({ type: 'int', default: 0 })
  pages!: number;

  @CreateDateColumn()
  createdAt!: Date;

  @ManyToOne(() => Author, (author) => author.books, { onDelete: 'CASCADE' })
  author!: Relation<Author>;
}
