// Application code no entity imports: the corpus build must not compile it. It does not type-check (a user's build
// would still emit it), and imports a package the project does not have.
import { renderPdf } from 'pdf-renderer-not-installed';

export const pageCount: number = 'not a number';

export function report(): unknown {
  return renderPdf({ pages: pageCount });
}
