import { Column, Entity, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { Order } from './order.entity';

@Entity('customers')
export class Customer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 120 })
  email!: string;

  @OneToMany('Order', (order: Order) => order.customer)
  orders!: Relation<Order>[];
}
