namespace Kefu.Storage.Postgres.Writing;

/// <summary>Replaces (or, with a null schedule, removes) the business hours of a team or a site.</summary>
internal sealed class BusinessHoursOp(string tenantId, string scopeId, string? scheduleJson, CancellationToken cancellationToken)
    : WriteOp<bool>(cancellationToken)
{
    private const string Upsert =
        "INSERT INTO business_hours (scope_id, tenant_id, schedule) VALUES ($1, $2, $3) "
        + "ON CONFLICT (scope_id) DO UPDATE SET schedule = excluded.schedule WHERE business_hours.tenant_id = excluded.tenant_id;";

    private const string Delete = "DELETE FROM business_hours WHERE scope_id = $1 AND tenant_id = $2;";

    // An unknown tenant fails the foreign key, which in PostgreSQL aborts the transaction.
    public override bool NeedsSavepoint => scheduleJson is not null;

    public override async Task ExecuteAsync(WriterSession session)
    {
        var rows = scheduleJson is null
            ? await session.ExecuteAsync(Delete, scopeId, tenantId)
            : await session.ExecuteAsync(Upsert, scopeId, tenantId, scheduleJson);
        SetResult(rows == 1);
    }
}
