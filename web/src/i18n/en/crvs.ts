import type { arCrvs } from '../ar/crvs';

export const enCrvs: Record<keyof typeof arCrvs, string> = {
  'crvs.confirm': 'Check with the civil registry',
  'crvs.confirm_title': 'What the civil registry records',
  'crvs.no_registry': 'No civil registry can be asked.',
  'crvs.not_found': 'The civil registry does not know this identifier.',
  'crvs.field': 'Item',
  'crvs.civil': 'Civil registry',
  'crvs.agrees': 'Agrees',
  'crvs.differs': 'Differs',
  'crvs.unknown': 'Unknown',
  'crvs.given_name': 'Given name',
  'crvs.family_name': 'Family name',
  'crvs.death': 'Recorded dead on {date}, while the person is active in the social registry.',
  'crvs.close': 'Close',
};
