import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000000_initial } from './Migration20261123000000_initial.js';

/**
 * Every migration, oldest first. An explicit list instead of a folder glob: it works the
 * same from TypeScript sources (vitest, tsx) and from the compiled `dist/`, and bundles.
 * Append new migrations here.
 */
export const migrations: MigrationObject[] = [{ name: 'Migration20261123000000_initial', class: Migration20261123000000_initial }];
