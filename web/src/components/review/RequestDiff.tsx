import type { ComponentChildren } from 'preact';
import type { ChangeRequest, Household, Person } from '../../api';
import { AreaLabel } from '../AreaPicker';
import { useI18n } from '../../i18n';
import { HOUSEHOLD_FIELDS, PERSON_FIELDS, PERSON_FIELD_BY_NAME, displayName, fieldKey, formatValue, vocabKey } from '../../registry';
import type { FieldDef } from '../../registry';
import { href } from '../../router';
import { ImportRows } from './ImportRows';

// What a change request would do, as its reviewer reads it: before → after for the records it touches,
// the new records it creates, and the staged rows of an import.

export function DiffTable({ defs, before, after, currency, showAll, caption }: {
  defs: readonly FieldDef[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  currency?: string | null;
  showAll?: boolean;
  caption?: ComponentChildren;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const names = showAll ? defs.map((d) => d.name).filter((n) => n in after) : Object.keys(after);
  const defOf = (n: string) => defs.find((d) => d.name === n);
  return (
    <div class="table-wrap">
      <table class="table diff" data-testid="diff-table">
        {caption && <caption class="diff__caption">{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">{t('cr.field')}</th>
            {before && <th scope="col">{t('cr.before')}</th>}
            <th scope="col">{before ? t('cr.after') : t('cr.value')}</th>
          </tr>
        </thead>
        <tbody>
          {names.map((n) => {
            const def = defOf(n);
            const old = before ? formatValue(i18n, def, before[n], currency) : null;
            const neu = formatValue(i18n, def, after[n], currency);
            const changed = before !== null && old !== neu;
            return (
              <tr key={n} class={changed ? 'diff__row--changed' : undefined} data-testid="diff-row" data-field={n}>
                <th scope="row">{def ? t(fieldKey(n)) : n}</th>
                {before && <td class="diff__before"><bdi>{old}</bdi></td>}
                <td class={before ? 'diff__after' : undefined}>
                  <bdi>{def?.kind === 'area' && typeof after[n] === 'string' ? <AreaLabel code={after[n] as string} /> : neu}</bdi>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function PersonsTable({ persons }: { persons: Record<string, unknown>[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const cols = ['relationship', 'given_name_ar', 'family_name_ar', 'given_name_lat', 'family_name_lat', 'sex', 'birth_date', 'national_id', 'phone', 'schooling', 'disability_type'];
  return (
    <div class="table-wrap">
      <table class="table" data-testid="diff-members">
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c} scope="col">{t(fieldKey(c))}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {persons.map((p, i) => (
            <tr key={i} class="diff__row--added" data-testid="diff-member">
              {cols.map((c) => (
                <td key={c}>
                  <bdi>{formatValue(i18n, PERSON_FIELD_BY_NAME.get(c), p[c])}</bdi>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HouseholdLink({ h }: { h: Household | undefined }) {
  const { t, lang } = useI18n();
  if (!h) return null;
  const head = h.members.find((m) => m.relationship === 'head' && m.status === 'active');
  return (
    <p class="diff__target">
      <a href={href(`/households/${h.id}`)} data-testid="diff-household-link">
        {t('household.title', { ref: h.ref ?? String(h.id) })}
      </a>
      {head && <span class="muted"> · {displayName(head, lang)}</span>}
    </p>
  );
}

export function personName(p: Person | undefined, lang: 'ar' | 'fr' | 'en', fallback: unknown): string {
  return p ? `${displayName(p, lang)} (${p.record_id ?? p.id})` : `#${String(fallback)}`;
}

export function Diff({ cr }: { cr: ChangeRequest }) {
  const { t, lang } = useI18n();
  const p = (cr.payload ?? {}) as Record<string, unknown>;
  const hh = cr.current?.households ?? [];
  const persons = cr.current?.persons ?? [];
  const allMembers = hh.flatMap((h) => h.members);
  const findPerson = (id: unknown) => persons.find((x) => x.id === id) ?? allMembers.find((x) => x.id === id);
  const note = cr.status !== 'pending' ? <p class="muted">{t('cr.diff_after_review')}</p> : null;

  switch (cr.kind) {
    case 'create_household': {
      const household = (p['household'] ?? {}) as Record<string, unknown>;
      const members = (p['members'] ?? []) as Record<string, unknown>[];
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <h3 class="diff__subtitle">{t('cr.new_household')}</h3>
          <DiffTable defs={HOUSEHOLD_FIELDS} before={null} after={household} currency={household['currency'] as string} showAll />
          <h3 class="diff__subtitle">{t('cr.new_members', { n: members.length })}</h3>
          <PersonsTable persons={members} />
        </div>
      );
    }
    case 'update_household': {
      const h = hh[0];
      const changes = (p['changes'] ?? {}) as Record<string, unknown>;
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <HouseholdLink h={h} />
          {note}
          <DiffTable defs={HOUSEHOLD_FIELDS} before={h ?? {}} after={changes} currency={(changes['currency'] ?? h?.['currency']) as string} />
        </div>
      );
    }
    case 'update_person': {
      const person = findPerson(p['person_id']);
      const changes = (p['changes'] ?? {}) as Record<string, unknown>;
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <p class="diff__target">{personName(person, lang, p['person_id'])}</p>
          {note}
          <DiffTable defs={PERSON_FIELDS} before={person ?? {}} after={changes} />
        </div>
      );
    }
    case 'add_member': {
      const person = (p['person'] ?? {}) as Record<string, unknown>;
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <HouseholdLink h={hh[0]} />
          <h3 class="diff__subtitle">{t('cr.new_member')}</h3>
          <DiffTable defs={PERSON_FIELDS} before={null} after={person} showAll />
        </div>
      );
    }
    case 'remove_member':
    case 'exit_household': {
      const person = findPerson(p['person_id']);
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          {cr.kind === 'exit_household' ? <HouseholdLink h={hh[0]} /> : <p class="diff__target diff__row--removed">{personName(person, lang, p['person_id'])}</p>}
          {person && <HouseholdLink h={hh.find((h) => h.id === person.household_id)} />}
          <dl class="facts facts--compact">
            <div class="facts__item">
              <dt>{t('household.reason')}</dt>
              <dd>{typeof p['reason'] === 'string' ? t(vocabKey('exit_reason', p['reason'])) : t('common.none')}</dd>
            </div>
          </dl>
        </div>
      );
    }
    case 'change_head': {
      const h = hh[0];
      const oldHead = h?.members.find((m) => m.relationship === 'head' && m.status === 'active');
      const newHead = findPerson(p['new_head_person_id']);
      const rel = p['previous_head_relationship'];
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <HouseholdLink h={h} />
          <div class="table-wrap">
            <table class="table diff" data-testid="diff-table">
              <thead>
                <tr>
                  <th scope="col">{t('household.member')}</th>
                  <th scope="col">{t('cr.before')}</th>
                  <th scope="col">{t('cr.after')}</th>
                </tr>
              </thead>
              <tbody>
                {newHead && (
                  <tr class="diff__row--changed">
                    <th scope="row">{personName(newHead, lang, p['new_head_person_id'])}</th>
                    <td class="diff__before">{t(vocabKey('relationship', newHead.relationship))}</td>
                    <td class="diff__after">{t(vocabKey('relationship', 'head'))}</td>
                  </tr>
                )}
                {oldHead && (
                  <tr class="diff__row--changed">
                    <th scope="row">{personName(oldHead, lang, oldHead.id)}</th>
                    <td class="diff__before">{t(vocabKey('relationship', 'head'))}</td>
                    <td class="diff__after">{typeof rel === 'string' ? t(vocabKey('relationship', rel)) : t('common.none')}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </div>
      );
    }
    case 'import_households':
    case 'import_persons':
    case 'import_households_with_members':
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          <ImportRows cr={cr} />
        </div>
      );
    default:
      return (
        <div data-testid="diff" data-kind={cr.kind}>
          {hh.map((h) => (
            <HouseholdLink key={h.id} h={h} />
          ))}
          <pre class="payload" dir="ltr">{JSON.stringify(p, null, 2)}</pre>
        </div>
      );
  }
}
