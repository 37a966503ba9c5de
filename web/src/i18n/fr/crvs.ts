import type { arCrvs } from '../ar/crvs';

export const frCrvs: Record<keyof typeof arCrvs, string> = {
  'crvs.confirm': "Vérifier à l'état civil",
  'crvs.confirm_title': "Ce que l'état civil enregistre",
  'crvs.no_registry': "Aucun registre d'état civil ne peut être interrogé.",
  'crvs.not_found': "L'état civil ne connaît pas cet identifiant.",
  'crvs.field': 'Donnée',
  'crvs.civil': 'État civil',
  'crvs.agrees': 'Concorde',
  'crvs.differs': 'Diffère',
  'crvs.unknown': 'Inconnu',
  'crvs.given_name': 'Prénom',
  'crvs.family_name': 'Nom',
  'crvs.death': 'Décès enregistré le {date}, alors que la personne est active au registre social.',
  'crvs.close': 'Fermer',
};
