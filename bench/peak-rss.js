'use strict';
/*
 * Preloaded with `node -r` into every measured child. Node cannot report a child's peak memory to its parent, and
 * /usr/bin/time is not everywhere, so the child reports its own maxRSS (kilobytes) on stderr as it exits, with its
 * CPU time (user + system, ms): on a shared machine CPU time is far less disturbed by other load than wall time.
 */
process.on('exit', () => {
  const usage = process.resourceUsage();
  const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
  require('node:fs').writeSync(2, `\n@@bench-max-rss-kb=${usage.maxRSS} cpu-ms=${cpuMs}\n`);
});
