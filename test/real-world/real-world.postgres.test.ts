import { describeRealWorld } from './real-world.shared';

describeRealWorld('postgres', ['1.x', '0.3.x']);
