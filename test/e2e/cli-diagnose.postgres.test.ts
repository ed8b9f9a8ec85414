import { defineDiagnoseSuite } from './cli-diagnose.shared';

defineDiagnoseSuite('postgres');
