import { useState } from 'preact/hooks';
import { registry } from '../../api';
import type { ChangeRequest, ImportNote, ImportRow, Person } from '../../api';
import { AreaLabel } from '../AreaPicker';
import { ErrorNotice, Loading } from '../ErrorNotice';
import { Pager } from '../Pager';
import { useLoaded } from '../listState';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { HOUSEHOLD_FIELD_BY_NAME, PERSON_FIELD_BY_NAME, displayName, fieldKey, formatValue } from '../../registry';

// The staged rows of an import request, for its reviewer: how many rows and households each commune
// receives, then the rows a page at a time with each row's warnings (GET /change-requests/{id}/rows).

const PERSON_COLS = ['relationship', 'sex', 'birth_date', 'national_id'] as const;
const HOUSEHOLD_COLS = ['address', 'urban', 'dwelling_type'] as const;

function Note({ note }: { note: ImportNote }) {
  const { t } = useI18n();
  const text = t(note.reason as MessageKey, note.params);
  return <li data-testid="import-row-warning" data-reason={note.reason}>{text === note.reason ? note.message : text}</li>;
}

function RowCells({ row, withHousehold, withPerson }: { row: ImportRow; withHousehold: boolean; withPerson: boolean }) {
  const i18n = useI18n();
  const { num, lang } = i18n;
  const p = row.person ?? {};
  const h = row.household ?? {};
  return (
    <>
      <td class="num">{num(row.row, { useGrouping: false })}</td>
      <td><bdi class="code" dir="ltr">{row.household_ref ?? ''}</bdi></td>
      <td><AreaLabel code={row.commune_code} /></td>
      {withHousehold && HOUSEHOLD_COLS.map((c) => <td key={c}><bdi>{formatValue(i18n, HOUSEHOLD_FIELD_BY_NAME.get(c), h[c])}</bdi></td>)}
      {withPerson && <td><bdi>{displayName(p as Partial<Person>, lang)}</bdi></td>}
      {withPerson && PERSON_COLS.map((c) => <td key={c}><bdi>{formatValue(i18n, PERSON_FIELD_BY_NAME.get(c), p[c])}</bdi></td>)}
    </>
  );
}

export function ImportRows({ cr }: { cr: ChangeRequest }) {
  const { t, num } = useI18n();
  const [pageNo, setPageNo] = useState(1);
  const [size, setSize] = useState(25);
  const { data, error, reload } = useLoaded(
    (signal) => registry.importRows(cr.id, { limit: size, offset: (pageNo - 1) * size }, signal),
    `${cr.id}/${pageNo}/${size}`,
    false,
  );

  const file = typeof cr.payload?.['file'] === 'string' ? (cr.payload['file'] as string) : null;
  if (error !== null) return <ErrorNotice error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  if (data.total === 0) {
    return (
      <p class="muted" data-testid="import-rows-gone">
        {cr.status === 'pending' ? t('cr.import.no_rows') : t('cr.import.rows_gone')}
      </p>
    );
  }
  const withHousehold = cr.kind !== 'import_persons';
  const withPerson = cr.kind !== 'import_households';
  const pages = Math.max(1, Math.ceil(data.total / size));
  const warned = data.items.filter((r) => r.warnings.length > 0).length;
  return (
    <div class="import-rows" data-testid="import-rows">
      <p data-testid="import-rows-total">
        {file && <bdi dir="ltr">{file}</bdi>} {t('cr.import.total', { n: num(data.total) })}
      </p>
      <h3 class="diff__subtitle">{t('cr.import.communes')}</h3>
      <div class="table-wrap">
        <table class="table" data-testid="import-communes">
          <thead>
            <tr>
              <th scope="col">{t('cr.col.area')}</th>
              <th scope="col" class="num">{t('cr.import.rows')}</th>
              <th scope="col" class="num">{t('cr.import.households')}</th>
            </tr>
          </thead>
          <tbody>
            {data.communes.map((c) => (
              <tr key={c.commune_code} data-testid="import-commune" data-commune={c.commune_code}>
                <td><AreaLabel code={c.commune_code || null} /></td>
                <td class="num">{num(c.rows)}</td>
                <td class="num">{num(c.households)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 class="diff__subtitle">{t('cr.import.rows_title')}</h3>
      {warned > 0 && <p class="notice notice--warning" role="note" data-testid="import-rows-warned">{t('cr.import.warned', { n: num(warned) })}</p>}
      <div class="table-wrap">
        <table class="table" data-testid="import-rows-table">
          <thead>
            <tr>
              <th scope="col" class="num">{t('import.col.row')}</th>
              <th scope="col">{t('cr.import.household')}</th>
              <th scope="col">{t(fieldKey('commune_code'))}</th>
              {withHousehold && HOUSEHOLD_COLS.map((c) => <th key={c} scope="col">{t(fieldKey(c))}</th>)}
              {withPerson && <th scope="col">{t('cr.import.name')}</th>}
              {withPerson && PERSON_COLS.map((c) => <th key={c} scope="col">{t(fieldKey(c))}</th>)}
              <th scope="col">{t('cr.import.warnings')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((r) => (
              <tr key={r.row} class={r.warnings.length > 0 ? 'diff__row--changed' : undefined} data-testid="import-row" data-row={r.row}>
                <RowCells row={r} withHousehold={withHousehold} withPerson={withPerson} />
                <td>
                  {r.warnings.length > 0 && (
                    <ul class="bullets">
                      {r.warnings.map((w, i) => <Note key={i} note={w} />)}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        page={pageNo}
        pages={pages}
        onPage={setPageNo}
        pageSize={size}
        onPageSize={(n) => {
          setSize(n);
          setPageNo(1);
        }}
      />
    </div>
  );
}
