-- Tenant purge reaches Nexus: the purge removes every raw asset of the tenant (object first, then its
-- atoms, derivations and row, which V24 already allows) and the tenant's usage log rows, in every
-- env. The usage log stays append-only for every other path: only the tenant purge deletes from it,
-- always bound to the tenant/env by RLS like every other statement of the application role.
GRANT DELETE ON usage_log TO ${app_role};
