import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { id } from '@/misc/id-column.js';
import { Account } from './Account.js';
import { Folder } from '@/models/Folder.js';

@Entity('bookmark')
@Index(['accountId', 'url'], { unique: true })
export class Bookmark {
	@PrimaryColumn(id())
	public id: string;

	@Column({ ...id() })
	public accountId: Account['id'];

	@ManyToOne(() => Account, { onDelete: 'CASCADE' })
	@JoinColumn()
	public account: Account | null;

	@Column('varchar', { length: 512 })
	public url: string;

	@Column({ ...id(), nullable: true })
	public folderId: Folder['id'] | null;

	@ManyToOne(() => Folder, { onDelete: 'SET NULL' })
	@JoinColumn()
	public folder: Folder | null;
}
