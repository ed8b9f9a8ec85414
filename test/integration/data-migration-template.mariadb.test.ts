import { defineDataMigrationTemplateSuite } from './data-migration-template.shared';

defineDataMigrationTemplateSuite('mariadb');
