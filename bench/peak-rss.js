'use strict';
/*
 * Preloaded with `node -r` into every measured child. Node cannot report a child's peak memory to its parent, and
 * /usr/bin/time is not everywhere, so the child reports its own maxRSS (kilobytes) on stderr as it exits.
 */
process.on('exit', () => {
  require('node:fs').writeSync(2, `\n@@bench-max-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
