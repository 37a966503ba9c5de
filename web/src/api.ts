// Client of the Sanad JSON API (/api/v1), one file per area; this module gathers them so that pages
// import from one place.
export * from './api/client';
export * from './api/admin';
export * from './api/registry';
export * from './api/notifications';
export * from './api/programs';
export * from './api/cycles';
export * from './api/targeting';
export * from './api/payments';
export * from './api/household_score';
export * from './api/empowerment';
export * from './api/empowerment_funding';
export * from './api/microcredit';
export * from './api/eservices';
export * from './api/affiliation';
export * from './api/cases';
export * from './api/counselling';
export * from './api/crvs';
export * from './api/grievances';
export * from './api/empowerment_training';
