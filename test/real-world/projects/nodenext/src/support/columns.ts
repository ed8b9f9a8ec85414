import type { ColumnOptions } from 'typeorm';

/** Shared column options, imported with a NodeNext `.js` specifier like the entities. */
export const quantityColumn: ColumnOptions = { type: 'int', default: 0, comment: 'units on hand' };
