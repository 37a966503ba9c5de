-- Training completion as a tranche-release condition (docs/empowerment.md §Training as a condition):
-- a tranche may name a training topic she must have completed before it is paid. The call's eligibility
-- condition lives in its eligibility JSON (requires_training) and needs no column.
ALTER TABLE empowerment_tranches ADD COLUMN requires_training TEXT NULL;
