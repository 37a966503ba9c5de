import { render } from 'preact';
import { App } from './app';
import { I18nProvider, applyLang, loadLang } from './i18n';
import './styles/fonts.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/login.css';
import './styles/areas.css';
import './styles/registry.css';
import './styles/admin.css';
import './styles/programmes.css';
import './styles/targeting.css';
import './styles/cases.css';
import './styles/household_score.css';
import './styles/empowerment.css';
import './styles/empowerment_training.css';
import './styles/empowerment_funding.css';
import './styles/microcredit.css';
import './styles/microcredit_apply.css';
import './styles/eservices.css';
import './styles/affiliation.css';
import './styles/counselling.css';
import './styles/grievances.css';

// Set <html lang dir> before the first paint so that a French user never sees a right-to-left flash.
applyLang(loadLang());

const root = document.getElementById('app');
if (root) {
  render(
    <I18nProvider>
      <App />
    </I18nProvider>,
    root,
  );
}
