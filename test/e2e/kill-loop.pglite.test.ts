import { defineKillLoop } from './kill-loop.shared';

defineKillLoop('pglite');
