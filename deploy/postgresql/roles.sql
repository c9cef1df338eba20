-- Amanat's two database roles (docs/OPERATIONS.md, "The audit log"): amanat_owner owns the
-- tables and runs the migrations; amanat, the application, may not change or delete the
-- audit chain, truncate a table or drop a trigger. Run by deploy/install.sh as postgres
-- after every migration: it is idempotent. The passwords come first on psql's standard
-- input (\set owner_password '...' and \set app_password '...'), never as psql -v on a
-- command line, where every user of the machine reads them (ps).
\set ON_ERROR_STOP on
SELECT format('CREATE ROLE amanat_owner LOGIN')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'amanat_owner') \gexec
SELECT format('CREATE ROLE amanat LOGIN')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'amanat') \gexec
ALTER ROLE amanat_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
ALTER ROLE amanat WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
SELECT 'CREATE DATABASE amanat OWNER amanat_owner ENCODING ''UTF8'' TEMPLATE template0'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'amanat') \gexec
\connect amanat
REVOKE ALL ON DATABASE amanat FROM PUBLIC;
GRANT CONNECT ON DATABASE amanat TO amanat;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO amanat_owner;
GRANT USAGE ON SCHEMA public TO amanat;
-- Everything the migrations made, and will make, is the application's to read and write...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO amanat;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO amanat;
ALTER DEFAULT PRIVILEGES FOR ROLE amanat_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO amanat;
ALTER DEFAULT PRIVILEGES FOR ROLE amanat_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO amanat;
-- ...but the audit chain only grows.
SELECT 'REVOKE UPDATE, DELETE ON audit_entry FROM amanat'
 WHERE to_regclass('public.audit_entry') IS NOT NULL \gexec
SELECT 'REVOKE DELETE ON audit_head FROM amanat'
 WHERE to_regclass('public.audit_head') IS NOT NULL \gexec
SELECT 'REVOKE UPDATE ON audit_waiting FROM amanat'
 WHERE to_regclass('public.audit_waiting') IS NOT NULL \gexec
