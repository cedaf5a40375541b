-- The index on audit_log(actor_name) served no query: the audit search filters the actor with
-- LIKE '%…%' (ILIKE on PostgreSQL), which no B-tree index can serve. Every audit row paid for it
-- (two rows a case on intake and import alike).

DROP INDEX IF EXISTS audit_log_actor;
