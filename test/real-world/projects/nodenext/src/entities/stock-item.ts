import { Column, Entity, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Warehouse } from './warehouse.js';
import { quantityColumn } from '../support/columns.js';

@Entity('stock_items')
export class StockItem {
  @PrimaryGeneratedColumn()
  id: number;

  @Column(quantityColumn)
  quantity: number;

  @ManyToOne(() => Warehouse, (warehouse) => warehouse.items, { nullable: false })
  warehouse: Relation<Warehouse>;
}
