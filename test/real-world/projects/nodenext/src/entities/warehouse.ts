import { Column, Entity, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { StockItem } from './stock-item.js';

@Entity('warehouses')
export class Warehouse {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ unique: true })
  code: string;

  @OneToMany('StockItem', (item: StockItem) => item.warehouse)
  items: Relation<StockItem>[];
}
