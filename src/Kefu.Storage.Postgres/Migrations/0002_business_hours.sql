-- Business hours per team or site: the schedule (time zone, weekly hours, holidays) as JSON.

CREATE TABLE business_hours (
    scope_id  text NOT NULL PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (id),
    schedule  text NOT NULL
);

CREATE INDEX ix_business_hours_tenant ON business_hours (tenant_id);
