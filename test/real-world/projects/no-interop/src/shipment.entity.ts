import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
// A CommonJS package read as a namespace: without esModuleInterop, tsc's `import * as` is the package's own
// module.exports, inherited properties included.
import * as limits from 'legacy-limits';

@Entity('shipments')
export class Shipment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: limits.trackingCode })
  trackingCode: string;

  @Column({ length: limits.carrierName, default: limits.defaultCarrier })
  carrier: string;
}
