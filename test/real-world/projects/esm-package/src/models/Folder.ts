import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { id } from '@/misc/id-column.js';
import { Account } from '@/models/Account.js';
import type { Bookmark } from './Bookmark.js';

@Entity('folder')
export class Folder {
	@PrimaryColumn(id())
	public id: string;

	@Column({ ...id() })
	public ownerId: Account['id'];

	@ManyToOne(() => Account, { onDelete: 'CASCADE' })
	@JoinColumn()
	public owner: Account | null;

	@Column('varchar', { length: 64, default: '' })
	public name: string;

	public bookmarks?: Bookmark[];
}
