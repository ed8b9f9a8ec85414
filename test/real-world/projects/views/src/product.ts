import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Column names in lower case, so the views' SQL reads the same on PostgreSQL and MariaDB. */
@Entity('products')
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 80 })
  name!: string;

  @Column({ name: 'price_cents', type: 'int' })
  priceCents!: number;

  @Column({ type: 'int' })
  stock!: number;

  @Column({ name: 'stock_value', type: 'int', generatedType: 'STORED', asExpression: 'price_cents * stock' })
  stockValue!: number;
}
