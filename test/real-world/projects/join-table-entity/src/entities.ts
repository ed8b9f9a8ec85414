import { Column, Entity, Index, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A ManyToMany whose @JoinTable table is also declared as an entity of its own with a primary key of its own, as some
 * large code bases do: TypeORM's synchronize() then fails on the two primary keys; schema-sync builds the table once.
 */
@Entity('products')
export class Product {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 80 })
  title: string;

  @ManyToMany(() => Tag)
  @JoinTable({ name: 'product_tags', joinColumn: { name: 'product_id', referencedColumnName: 'id' }, inverseJoinColumn: { name: 'tag_id', referencedColumnName: 'id' } })
  tags: Tag[];
}

@Entity('tags')
export class Tag {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 40 })
  label: string;
}

@Entity('product_tags')
export class ProductTag {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('idx_product_tags_product')
  @Column({ name: 'product_id' })
  productId: number;

  @Column({ name: 'tag_id' })
  tagId: number;
}
