import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TICKET_STATES } from '../ticket-states';
import { Queue } from './queue';

@Entity('tickets')
export class Ticket {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'enum', enum: TICKET_STATES, default: TICKET_STATES[0] })
  state: string;

  @Column({ length: 120 })
  title: string;

  @ManyToOne(() => Queue, (queue) => queue.tickets)
  queue: Queue;
}
