import type { MessageKey } from './i18n';

// The application's navigation in one place. An entry is shown when it is `ready` (its page exists)
// and the user has one of its `roles` (no `roles`: every signed-in user). The server enforces the same
// permissions on the API; hiding an entry here is only a convenience.

export type Role =
  | 'admin'
  | 'national_analyst'
  | 'regional_coordinator'
  | 'social_worker'
  | 'counselor'
  | 'mobile_unit'
  | 'institution_manager'
  | 'committee_member'
  | 'data_entry'
  | 'payment_officer'
  | 'auditor'
  | 'partner_system';

export const ROLES: readonly Role[] = [
  'admin',
  'national_analyst',
  'regional_coordinator',
  'social_worker',
  'counselor',
  'mobile_unit',
  'institution_manager',
  'committee_member',
  'data_entry',
  'payment_officer',
  'auditor',
  'partner_system',
];

export interface NavItem {
  id: string;
  path: string;
  label: MessageKey;
  /** Who may open the page. */
  roles?: readonly Role[];
  /** Who sees the entry in the navigation, when narrower than `roles` (default: `roles`). */
  navRoles?: readonly Role[];
  /** A page reached from other pages (e.g. a household), never listed in the navigation. */
  hidden?: boolean;
  /** The entry also owns the paths below its own ("/households/12"). */
  prefix?: boolean;
  /** The navigation entry shown as current on this (hidden) page. */
  navParent?: string;
  ready: boolean;
}

/** Roles whose permissions include reading the registry (registry.read on the server). */
const REGISTRY_READ: readonly Role[] = ['admin', 'regional_coordinator', 'social_worker', 'data_entry', 'payment_officer'];

/** Roles whose permissions include filing change requests (registry.propose on the server). */
const PROPOSE: readonly Role[] = ['admin', 'regional_coordinator', 'social_worker', 'data_entry'];

/** Roles whose permissions include reading grievances (grievances.read on the server). */
export const GRIEVANCES_READ: readonly Role[] = ['admin', 'regional_coordinator', 'social_worker'];
/** Filing for a citizen and appealing on their behalf (grievances.file). */
export const GRIEVANCES_FILE: readonly Role[] = ['admin', 'regional_coordinator', 'social_worker', 'data_entry'];
/** Reviewing, resolving, deciding appeals and closing (grievances.decide). */
export const GRIEVANCES_DECIDE: readonly Role[] = ['admin', 'regional_coordinator'];

/** Roles whose permissions include reading programme cycles (cycles.read on the server). */
const CYCLES_READ: readonly Role[] = ['admin', 'payment_officer', 'regional_coordinator'];

/** Roles that generate, discard and approve cycles (cycles.manage and cycles.approve on the server). */
/** Roles that read women's empowerment files (empowerment.read on the server). */
const EMPOWERMENT_READ: readonly Role[] = ['admin', 'regional_coordinator', 'social_worker', 'committee_member'];

/** Roles that write notes on those files (empowerment.manage on the server). */
export const EMPOWERMENT_MANAGE: readonly Role[] = ['admin', 'regional_coordinator'];

/** Reviewers and committee members of funding applications (empowerment.committee on the server). */
export const EMPOWERMENT_COMMITTEE: readonly Role[] = ['admin', 'committee_member'];

export const CYCLES_DECIDE: readonly Role[] = ['admin', 'payment_officer'];

/** Roles whose permissions include reading micro-credit (microcredit.read on the server). */
export const MICROCREDIT_READ: readonly Role[] = ['admin', 'regional_coordinator', 'social_worker', 'data_entry', 'committee_member'];

/** Officers who enter applications, disburse and record repayments (microcredit.manage). */
export const MICROCREDIT_MANAGE: readonly Role[] = ['admin', 'regional_coordinator', 'social_worker', 'data_entry'];

/** Committee members who score and decide (microcredit.committee). */
export const MICROCREDIT_COMMITTEE: readonly Role[] = ['admin', 'committee_member'];
/** Roles whose permissions include affiliation.read on the server. */
export const AFFILIATION_READ: readonly Role[] = ['admin', 'regional_coordinator', 'social_worker', 'data_entry'];

/** Roles that import lists and decide proposals (affiliation.review on the server). */
export const AFFILIATION_REVIEW: readonly Role[] = ['admin', 'regional_coordinator'];

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'home', path: '/', label: 'nav.home', ready: true },
  { id: 'areas', path: '/areas', label: 'nav.areas', ready: true },
  { id: 'registry', path: '/registry', label: 'nav.registry', roles: REGISTRY_READ, ready: true },
  { id: 'households', path: '/households', label: 'nav.registry', roles: REGISTRY_READ, hidden: true, prefix: true, navParent: 'registry', ready: true },
  {
    id: 'change_requests',
    path: '/change-requests',
    label: 'nav.change_requests',
    roles: REGISTRY_READ,
    navRoles: ['admin', 'regional_coordinator'],
    ready: true,
  },
  // The requests the signed-in user filed (registry.propose on the server).
  { id: 'my_requests', path: '/my-requests', label: 'nav.my_requests', roles: PROPOSE, ready: true },
  { id: 'import', path: '/import', label: 'nav.import', roles: ['admin', 'data_entry'], ready: true },
  // Deduplication review queue and cross-programme check (linkage.review on the server).
  { id: 'duplicates', path: '/duplicates', label: 'nav.duplicates', roles: ['admin', 'regional_coordinator'], ready: true },
  // Case management (cases.read on the server; the list, a case page below it).
  {
    id: 'cases',
    path: '/cases',
    label: 'nav.cases',
    roles: ['admin', 'regional_coordinator', 'social_worker', 'counselor', 'mobile_unit'],
    prefix: true,
    ready: true,
  },
  {
    // Targeting simulation (aggregates.read on the server: counts by region, no personal data).
    id: 'targeting',
    path: '/targeting',
    label: 'nav.targeting',
    roles: ['admin', 'national_analyst', 'regional_coordinator'],
    ready: true,
  },
  // Programmes and their editor (programmes.manage on the server: rules and parameters, no personal data).
  { id: 'programmes', path: '/programmes', label: 'nav.programmes', roles: ['admin', 'national_analyst'], prefix: true, ready: true },
  // Programme cycles (cycles.read on the server; generating and approving: payment officers and admins).
  { id: 'cycles', path: '/cycles', label: 'nav.cycles', roles: CYCLES_READ, prefix: true, ready: true },
  { id: 'payments', path: '/payments', label: 'nav.payments', roles: ['admin', 'payment_officer'], ready: true },
  // Women's empowerment registrations (empowerment.read on the server: personal data in the area).
  { id: 'empowerment', path: '/empowerment', label: 'nav.empowerment', roles: EMPOWERMENT_READ, prefix: true, ready: true },
  // Training sessions of the empowerment platform (the same permissions: attendance sheets name women).
  {
    id: 'empowerment_trainings',
    path: '/trainings',
    label: 'nav.empowerment_trainings',
    roles: EMPOWERMENT_READ,
    prefix: true,
    ready: true,
  },
  // Regional figures of the empowerment platform (counts within the reader's area).
  { id: 'empowerment_figures', path: '/women-figures', label: 'nav.empowerment_figures', roles: EMPOWERMENT_READ, ready: true },
  // Funding calls, applications, reviews and committee sessions (empowerment.read; writes by permission).
  { id: 'empowerment_calls', path: '/funding-calls', label: 'nav.empowerment_calls', roles: EMPOWERMENT_READ, prefix: true, ready: true },
  // Micro-credit: applications board, committee, loans, portfolio (microcredit.read on the server).
  { id: 'microcredit', path: '/microcredit', label: 'nav.microcredit', roles: MICROCREDIT_READ, prefix: true, ready: true },
  // Citizen reports: triage queues (reports.triage), the overdue board, the call-centre form.
  {
    id: 'triage',
    path: '/triage',
    label: 'nav.triage',
    roles: ['admin', 'regional_coordinator', 'social_worker', 'counselor', 'mobile_unit', 'data_entry'],
    ready: true,
  },
  // Family counselling: the counsellor calendar (counselling.read on the server, scoped to the area).
  { id: 'counselling', path: '/counselling', label: 'nav.counselling', roles: ['admin', 'regional_coordinator', 'counselor'], ready: true },
  // Grievances and appeals (grievances.read on the server: the caller's area; the board and a grievance).
  {
    id: 'grievances',
    path: '/grievances',
    label: 'nav.grievances',
    roles: GRIEVANCES_READ,
    prefix: true,
    ready: true,
  },
  // Affiliation of non-salaried workers (affiliation.read on the server; import and review: coordinators).
  { id: 'affiliation', path: '/affiliation', label: 'nav.affiliation', roles: AFFILIATION_READ, prefix: true, ready: true },
  { id: 'audit', path: '/audit', label: 'nav.audit', roles: ['admin', 'auditor'], ready: true },
  { id: 'accounts', path: '/admin/users', label: 'nav.admin', roles: ['admin'], ready: true },
];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function canSee(item: NavItem, roles: readonly string[]): boolean {
  return item.ready && (!item.roles || item.roles.some((r) => roles.includes(r)));
}

export function visibleNav(roles: readonly string[]): NavItem[] {
  return NAV_ITEMS.filter(
    (item) => canSee(item, roles) && !item.hidden && (!item.navRoles || item.navRoles.some((r) => roles.includes(r))),
  );
}

/** The nav entry that owns a path ("/areas" for "/areas", "/households" for "/households/12"), if any. */
export function navItemFor(path: string): NavItem | undefined {
  return NAV_ITEMS.find((item) => item.path === path || (item.prefix && path.startsWith(`${item.path}/`)));
}
