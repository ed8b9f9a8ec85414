import { describeRealWorld } from './real-world.shared';

describeRealWorld('pglite', ['1.x']);
