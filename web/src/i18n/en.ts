import type { Catalog } from './ar';

// English catalogue (left-to-right). Keys must match ar.ts exactly: the type checker enforces it.
import { enShell } from './en/shell';
import { enRegistry } from './en/registry';
import { enFields } from './en/fields';
import { enAdmin } from './en/admin';
import { enSimulator } from './en/simulator';
import { enTargeting } from './en/targeting';

export const en: Catalog = { ...enShell, ...enRegistry, ...enFields, ...enAdmin, ...enSimulator, ...enTargeting };
