import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { id } from '@/misc/id-column.js';
import type { Bookmark } from './Bookmark.js';

@Entity('account')
export class Account {
	@PrimaryColumn(id())
	public id: string;

	@Index({ unique: true })
	@Column('varchar', { length: 128 })
	public handle: string;

	@Column('timestamp', { nullable: true })
	public lastActiveAt: Date | null;

	public bookmarks?: Bookmark[];
}
