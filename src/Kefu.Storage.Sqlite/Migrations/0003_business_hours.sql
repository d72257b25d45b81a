-- Business hours per team or site: the schedule (time zone, weekly hours, holidays) as JSON.

CREATE TABLE business_hours (
    scope_id  TEXT NOT NULL PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    schedule  TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX ix_business_hours_tenant ON business_hours (tenant_id);
