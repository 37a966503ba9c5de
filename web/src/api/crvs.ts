// Civil registries (docs/crvs.md): confirming a person's identity with a registry's sync search.
import { request } from './client';

export interface CivilRegistry {
  code: string;
  name: string;
}

export interface IdentityCheck {
  source: string;
  identifier: string;
  found: boolean;
  civil?: {
    uin: string | null;
    given_name: string | null;
    surname: string | null;
    sex: string | null;
    birth_date: string | null;
    death_date: string | null;
    parent_uins: string[];
  };
  agreement: {
    given_name: boolean | null;
    family_name: boolean | null;
    sex: boolean | null;
    birth_date: boolean | null;
    dead_in_civil_registry: boolean;
    alive_here: boolean;
  };
}

export const crvs = {
  registries: () => request<{ items: CivilRegistry[] }>('GET', '/crvs/registries'),
  confirm: (code: string, personId: number) =>
    request<IdentityCheck>('POST', `/crvs/sources/${encodeURIComponent(code)}/search`, { body: { person_id: personId } }),
};
