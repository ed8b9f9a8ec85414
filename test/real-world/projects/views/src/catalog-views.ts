import { DataSource, ViewColumn, ViewEntity } from 'typeorm';
import { Product } from './product';

@ViewEntity({ name: 'product_prices', expression: 'SELECT id, name, price_cents FROM products' })
export class ProductPrice {
  @ViewColumn()
  id!: number;

  @ViewColumn()
  name!: string;

  @ViewColumn({ name: 'price_cents' })
  priceCents!: number;
}

@ViewEntity({
  name: 'in_stock',
  dependsOn: [ProductPrice],
  expression: 'SELECT p.id, p.name FROM product_prices p JOIN products s ON s.id = p.id WHERE s.stock > 0',
})
export class InStock {
  @ViewColumn()
  id!: number;

  @ViewColumn()
  name!: string;
}

@ViewEntity({
  name: 'sold_out',
  expression: (dataSource: DataSource) => dataSource.createQueryBuilder().select('p.id', 'id').addSelect('p.name', 'name').from(Product, 'p').where('p.stock = 0'),
})
export class SoldOut {
  @ViewColumn()
  id!: number;

  @ViewColumn()
  name!: string;
}

/** Materialized on PostgreSQL; a plain view on MariaDB, as TypeORM makes it there. */
@ViewEntity({ name: 'stock_totals', materialized: true, expression: 'SELECT count(*) AS products, sum(stock) AS units FROM products' })
export class StockTotals {
  @ViewColumn()
  products!: number;

  @ViewColumn()
  units!: number;
}

/** Left to whoever made it: never created, replaced or dropped. */
@ViewEntity({ name: 'legacy_export', synchronize: false, expression: 'SELECT 1 AS one' })
export class LegacyExport {
  @ViewColumn()
  one!: number;
}
