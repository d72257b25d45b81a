using Kefu.Core.Ids;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>Creates a visitor; with an external id, returns the site's existing visitor of that id instead.</summary>
internal sealed class VisitorOp(VisitorRegistration registration, DateTimeOffset now, CancellationToken cancellationToken)
    : WriteOp<Visitor>(cancellationToken)
{
    private const string Insert =
        "INSERT INTO visitors (" + Rows.VisitorColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        + "ON CONFLICT (site_id, external_id) WHERE external_id IS NOT NULL DO NOTHING;";

    private const string SelectByExternalId = "SELECT " + Rows.VisitorColumns + " FROM visitors WHERE site_id = $1 AND external_id = $2;";

    public override bool NeedsSavepoint => true;

    public override async Task ExecuteAsync(WriterSession session)
    {
        var created = now.ToUnixTimeMilliseconds();
        var visitor = new Visitor(
            IdGenerator.New("v", now),
            registration.TenantId,
            registration.SiteId,
            registration.ExternalId,
            registration.Name,
            registration.Email,
            registration.ContextJson,
            Rows.Time(created));
        var inserted = await session.ExecuteAsync(
            Insert,
            visitor.Id,
            visitor.TenantId,
            visitor.SiteId,
            visitor.ExternalId,
            visitor.Name,
            visitor.Email,
            visitor.ContextJson,
            created) == 1;
        if (!inserted)
        {
            visitor = await session.QuerySingleAsync(SelectByExternalId, Rows.Visitor, registration.SiteId, registration.ExternalId)
                ?? throw new InvalidOperationException("A conflicting visitor vanished inside the writer's transaction.");
        }
        SetResult(visitor);
    }
}
