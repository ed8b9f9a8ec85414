import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Ticket } from './ticket';

@Entity('queues')
export class Queue {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 60, unique: true })
  name: string;

  @OneToMany(() => Ticket, (ticket) => ticket.queue)
  tickets: Ticket[];
}
