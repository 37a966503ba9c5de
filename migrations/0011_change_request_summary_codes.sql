-- A change request's summary as a message code and its parameters (a JSON object of strings),
-- rendered in each reader's language by the API. The English text stays in `summary`: requests filed
-- before summaries had codes have only that, and it is shown as it is.
ALTER TABLE change_requests ADD COLUMN summary_code TEXT NULL;
ALTER TABLE change_requests ADD COLUMN summary_params TEXT NULL;
