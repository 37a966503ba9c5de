import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api, setCsrfToken, setUnauthorizedHandler } from './api';
import type { Session, User } from './api';
import { countryOfCode } from './areas';
import { ChangePasswordForm } from './components/ChangePasswordForm';
import { ErrorNotice, Loading } from './components/ErrorNotice';
import { LangSwitch } from './components/LangSwitch';
import { Shell } from './components/Shell';
import { useI18n } from './i18n';
import { CYCLES_DECIDE, EMPOWERMENT_COMMITTEE, EMPOWERMENT_MANAGE, GRIEVANCES_DECIDE, GRIEVANCES_FILE, MICROCREDIT_COMMITTEE, MICROCREDIT_MANAGE, canSee, navItemFor } from './nav';
import { AccountsPage } from './pages/AccountsPage';
import { AreasPage } from './pages/AreasPage';
import { AuditPage } from './pages/AuditPage';
import { ChangeRequestsPage } from './pages/ChangeRequestsPage';
import { DuplicatesPage } from './pages/DuplicatesPage';
import { EmpowermentPage } from './pages/EmpowermentPage';
import { EmpowermentPublicPage } from './pages/EmpowermentPublicPage';
import { EmpowermentFiguresPage } from './pages/EmpowermentFiguresPage';
import { EmpowermentTrainingPage } from './pages/EmpowermentTrainingPage';
import { EmpowermentTrainingsPage } from './pages/EmpowermentTrainingsPage';
import { EmpowermentCallPage } from './pages/EmpowermentCallPage';
import { EmpowermentCallsPage } from './pages/EmpowermentCallsPage';
import { EmpowermentCommitteePage } from './pages/EmpowermentCommitteePage';
import { EmpowermentReviewPage } from './pages/EmpowermentReviewPage';
import { HouseholdPage } from './pages/HouseholdPage';
import { ImportPage } from './pages/ImportPage';
import { MyRequestsPage } from './pages/MyRequestsPage';
import { NewHouseholdPage } from './pages/NewHouseholdPage';
import { ProgrammeEditorPage } from './pages/ProgrammeEditorPage';
import { ProgrammesPage } from './pages/ProgrammesPage';
import { SearchPage } from './pages/SearchPage';
import { PaymentsPage } from './pages/PaymentsPage';
import { MicrocreditApplicationPage, MicrocreditBoard } from './pages/MicrocreditPage';
import { MicrocreditLoanPage, MicrocreditPortfolioPage } from './pages/MicrocreditLoanPage';
import { AffiliationPage } from './pages/AffiliationPage';
import { CasesPage } from './pages/CasesPage';
import { GrievancePublicPage } from './pages/GrievancePublicPage';
import { GrievancesPage } from './pages/GrievancesPage';
import { SimulatorPage } from './pages/SimulatorPage';
import { ReportPage } from './pages/ReportPage';
import { ReportStatusPage } from './pages/ReportStatusPage';
import { MicrocreditApplyPage } from './pages/MicrocreditApplyPage';
import { MicrocreditPreRegistrationsPage } from './pages/MicrocreditPreRegistrationsPage';
import { MicrocreditTasksPage } from './pages/MicrocreditTasks';
import { TriagePage } from './pages/TriagePage';
import { CounsellingPage } from './pages/CounsellingPage';
import { CyclePage } from './pages/CyclePage';
import { CyclesPage } from './pages/CyclesPage';
import { TargetingSimulationPage } from './pages/TargetingSimulationPage';
import { canPropose } from './registry';
import { HomePage } from './pages/HomePage';
import { LoginPage } from './pages/LoginPage';
import type { LoginNotice } from './pages/LoginPage';
import { ForbiddenPage, NotFoundPage } from './pages/StatusPages';
import { useRoute } from './router';
import type { Route } from './router';

type Auth =
  | { status: 'checking' }
  | { status: 'failed'; error: unknown }
  | { status: 'anonymous'; notice: LoginNotice }
  | { status: 'signed_in'; user: User }
  | { status: 'must_change_password'; user: User };

/** The password change, as a page of the shell (#/password). */
function PasswordPage() {
  const { t } = useI18n();
  return (
    <section class="card" data-testid="password-page">
      <h1>{t('password.title')}</h1>
      <ChangePasswordForm onChanged={() => undefined} />
    </section>
  );
}

/** Before anything else, when an administrator set the password (the server allows nothing else). */
function MustChangePassword({ onChanged }: { onChanged: () => void }) {
  const { t } = useI18n();
  return (
    <div class="login-page">
      <div class="login-page__lang">
        <LangSwitch />
      </div>
      <main class="login-card" id="main">
        <h1 class="login-card__title">{t('password.title')}</h1>
        <p class="login-card__intro">{t('password.must_change')}</p>
        <ChangePasswordForm onChanged={onChanged} />
      </main>
    </div>
  );
}

function Page({ route, user }: { route: Route; user: User }) {
  if (route.path === '/password') return <PasswordPage />;
  const item = navItemFor(route.path);
  if (!item) return <NotFoundPage />;
  if (!canSee(item, user.roles)) return <ForbiddenPage />;
  switch (item.id) {
    case 'home':
      return <HomePage user={user} />;
    case 'areas':
      return <AreasPage route={route} defaultCountry={countryOfCode(user.area_code) ?? 'MA'} />;
    case 'registry':
      return <SearchPage route={route} user={user} />;
    case 'households': {
      const id = route.path.slice('/households/'.length);
      if (id === 'new') return canPropose(user.roles) ? <NewHouseholdPage user={user} /> : <ForbiddenPage />;
      if (!/^\d+$/.test(id)) return <NotFoundPage />;
      return <HouseholdPage key={id} route={route} user={user} id={id} />;
    }
    case 'change_requests':
      return <ChangeRequestsPage route={route} user={user} />;
    case 'my_requests':
      return <MyRequestsPage route={route} />;
    case 'import':
      return <ImportPage user={user} />;
    case 'duplicates':
      return <DuplicatesPage route={route} user={user} />;
    case 'programmes': {
      if (route.path === '/programmes') return <ProgrammesPage />;
      const code = route.path.slice('/programmes/'.length);
      return <ProgrammeEditorPage key={code} route={route} code={code} />;
    }
    case 'audit':
      return <AuditPage route={route} />;
    case 'cycles': {
      // Decisions are national: an account limited to an area reads its area's figures only.
      const decides = !user.area_code && CYCLES_DECIDE.some((r) => user.roles.includes(r));
      if (route.path === '/cycles') return <CyclesPage route={route} canManage={decides} />;
      const id = route.path.slice('/cycles/'.length);
      if (!/^\d+$/.test(id)) return <NotFoundPage />;
      return <CyclePage key={id} id={id} route={route} canApprove={decides} canManage={decides} />;
    }
    case 'targeting':
      return <TargetingSimulationPage user={user} />;
    case 'payments':
      return <PaymentsPage route={route} />;
    case 'empowerment':
      return <EmpowermentPage route={route} canNote={EMPOWERMENT_MANAGE.some((r) => user.roles.includes(r))} />;
    case 'empowerment_figures':
      return <EmpowermentFiguresPage />;
    case 'empowerment_trainings': {
      const manage = EMPOWERMENT_MANAGE.some((r) => user.roles.includes(r));
      if (route.path === '/trainings') return <EmpowermentTrainingsPage route={route} canManage={manage} />;
      const id = route.path.slice('/trainings/'.length);
      if (!/^\d+$/.test(id)) return <NotFoundPage />;
      return <EmpowermentTrainingPage key={id} id={id} canManage={manage} />;
    }
    case 'empowerment_calls': {
      const manage = EMPOWERMENT_MANAGE.some((r) => user.roles.includes(r));
      const committee = EMPOWERMENT_COMMITTEE.some((r) => user.roles.includes(r));
      if (route.path === '/funding-calls') return <EmpowermentCallsPage canManage={manage} />;
      const app = /^\/funding-calls\/applications\/(\d+)$/.exec(route.path);
      if (app) return <EmpowermentReviewPage key={app[1]} id={app[1]} canReview={committee} canManage={manage} />;
      const session = /^\/funding-calls\/(\d+)\/committee$/.exec(route.path);
      if (session) return <EmpowermentCommitteePage key={session[1]} id={session[1]} canDecide={committee} />;
      const call = /^\/funding-calls\/(\d+)$/.exec(route.path);
      if (call) return <EmpowermentCallPage key={call[1]} id={call[1]} />;
      return <NotFoundPage />;
    }
    case 'microcredit': {
      const manage = MICROCREDIT_MANAGE.some((r) => user.roles.includes(r));
      const decide = MICROCREDIT_COMMITTEE.some((r) => user.roles.includes(r));
      if (route.path === '/microcredit') return <MicrocreditBoard route={route} canEnter={manage} />;
      if (route.path === '/microcredit/portfolio') return <MicrocreditPortfolioPage route={route} />;
      if (route.path === '/microcredit/pre-registrations') return <MicrocreditPreRegistrationsPage route={route} canManage={manage} />;
      if (route.path === '/microcredit/tasks') return <MicrocreditTasksPage route={route} canManage={manage} />;
      const app = /^\/microcredit\/applications\/(\d+)$/.exec(route.path);
      if (app) return <MicrocreditApplicationPage key={app[1]} id={Number(app[1])} canManage={manage} canDecide={decide} />;
      const loan = /^\/microcredit\/loans\/(\d+)$/.exec(route.path);
      if (loan) return <MicrocreditLoanPage key={loan[1]} id={Number(loan[1])} route={route} canRepay={manage} />;
      return <NotFoundPage />;
    }
    case 'affiliation':
      return <AffiliationPage route={route} user={user} />;
    case 'cases':
      return <CasesPage route={route} />;
    case 'grievances':
      return (
        <GrievancesPage
          route={route}
          canDecide={GRIEVANCES_DECIDE.some((r) => user.roles.includes(r))}
          canFile={GRIEVANCES_FILE.some((r) => user.roles.includes(r))}
        />
      );
    case 'accounts':
      return <AccountsPage route={route} />;
    case 'triage':
      return <TriagePage route={route} user={user} />;
    case 'counselling':
      return <CounsellingPage route={route} user={user} />;
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const route = useRoute();
  const [auth, setAuth] = useState<Auth>({ status: 'checking' });

  const startSession = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token);
    setAuth({ status: session.must_change_password ? 'must_change_password' : 'signed_in', user: session.user });
  }, []);

  const checkSession = useCallback(() => {
    setAuth({ status: 'checking' });
    api
      .me()
      .then(startSession)
      .catch((err) => {
        setCsrfToken(null);
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
          setAuth({ status: 'anonymous', notice: null });
        } else {
          setAuth({ status: 'failed', error: err });
        }
      });
  }, [startSession]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setAuth({ status: 'anonymous', notice: 'expired' });
    });
    checkSession();
    return () => setUnauthorizedHandler(null);
  }, [checkSession]);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // The session is dropped on this side whatever the server said.
    }
    setCsrfToken(null);
    setAuth({ status: 'anonymous', notice: 'signed_out' });
  }, []);

  // The programme simulator is public: the same page whether or not someone is signed in.
  if (route.path === '/simulator') return <SimulatorPage />;
  // So are the women's registration and status pages of the empowerment platform.
  if (route.path === '/women' || route.path === '/women/status') return <EmpowermentPublicPage route={route} />;
  // The citizen e-services are public too (no account): the form and the status page by code.
  if (route.path === '/report') return <ReportPage />;
  if (route.path === '/report/status') return <ReportStatusPage route={route} />;
  // Grievances: the public form and the status page by code (docs/grievances.md).
  if (route.path === '/grievance' || route.path === '/grievance/status') return <GrievancePublicPage route={route} />;
  // A citizen's micro-credit pre-registration and its status by tracking code: no account either.
  if (route.path === '/microcredit/apply' || route.path === '/microcredit/apply/status') return <MicrocreditApplyPage route={route} />;

  switch (auth.status) {
    case 'checking':
      return (
        <div class="splash">
          <Loading />
        </div>
      );
    case 'failed':
      return (
        <div class="splash">
          <ErrorNotice error={auth.error} onRetry={checkSession} />
        </div>
      );
    case 'anonymous':
      return <LoginPage notice={auth.notice} onLoggedIn={startSession} />;
    case 'must_change_password':
      return <MustChangePassword onChanged={checkSession} />;
    case 'signed_in':
      return (
        <Shell user={auth.user} currentPath={route.path} onLogout={logout}>
          <Page route={route} user={auth.user} />
        </Shell>
      );
  }
}
