import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum ProductState {
  Draft = 'draft',
  Live = 'live',
}

@Entity('products')
export class Product {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 120 })
  name: string;

  @Column({ type: 'enum', enum: ProductState, default: ProductState.Draft })
  state: ProductState;

  @Column({ type: 'decimal', precision: 10, scale: 2 })
  price: string;
}
