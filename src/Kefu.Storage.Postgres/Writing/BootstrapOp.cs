using System.Security.Cryptography;
using Kefu.Core.Ids;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// Creates the default tenant, site, team and the first admin by natural keys (insert-or-nothing, then
/// select) under an advisory lock, so every node that starts at once ends with the same rows and only one
/// sees AdminCreated.
/// </summary>
internal sealed class BootstrapOp(BootstrapRequest request, CancellationToken cancellationToken) : WriteOp<BootstrapResult>(cancellationToken)
{
    private const string DefaultSlug = "default";
    private const string DefaultSiteKey = "default";

    private const string InsertTenant = "INSERT INTO tenants (id, slug, name, created_at) VALUES ($1, $2, 'Default', $3) ON CONFLICT DO NOTHING;";
    private const string SelectTenant = "SELECT id, slug, name FROM tenants WHERE slug = $1;";

    private const string InsertSite =
        "INSERT INTO sites (id, tenant_id, site_key, name, allowed_origins, identity_secret, require_identity, created_at) "
        + "SELECT $1, $2, $3, 'Default site', '[]', $4, false, $5 WHERE NOT EXISTS (SELECT 1 FROM sites WHERE tenant_id = $2) ON CONFLICT DO NOTHING;";
    private const string SelectSite = "SELECT " + Rows.SiteColumns + " FROM sites WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 1;";

    private const string InsertTeam =
        "INSERT INTO teams (id, tenant_id, name, is_default, created_at) VALUES ($1, $2, 'Default', true, $3) ON CONFLICT DO NOTHING;";
    private const string SelectTeam = "SELECT id, tenant_id, name, is_default FROM teams WHERE tenant_id = $1 AND name = 'Default';";

    // The first admin is created once per tenant: a later start with another configured username does
    // not add a second admin, it gets the existing one back.
    private const string InsertAdmin =
        "INSERT INTO agents (id, tenant_id, username, display_name, password_hash, is_admin, max_concurrent, disabled, token_version, must_change_password, created_at) "
        + "SELECT $1, $2, $3, $4, $5, true, $6, false, 0, $7, $8 WHERE NOT EXISTS (SELECT 1 FROM agents WHERE tenant_id = $2 AND is_admin) ON CONFLICT DO NOTHING;";
    private const string SelectAdmin =
        "SELECT " + Rows.AgentColumns + " FROM agents WHERE tenant_id = $1 AND is_admin ORDER BY username = $2 DESC, created_at, ord LIMIT 1;";

    private const string InsertMember = "INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;";

    public override bool NeedsSavepoint => true;

    public override void AddLockKeys(List<string> keys, WriterSession session) => keys.Add(LockKeys.Bootstrap);

    public override async Task ExecuteAsync(WriterSession session)
    {
        var now = session.Now();
        var millis = Rows.Millis(now);

        await session.ExecuteAsync(InsertTenant, IdGenerator.New("t", now), DefaultSlug, millis);
        var tenant = (await session.QuerySingleAsync(SelectTenant, Rows.Tenant, DefaultSlug))!;

        await session.ExecuteAsync(InsertSite, IdGenerator.New("s", now), tenant.Id, DefaultSiteKey, RandomKey(32), millis);
        var site = (await session.QuerySingleAsync(SelectSite, Rows.Site, tenant.Id))!;

        await session.ExecuteAsync(InsertTeam, IdGenerator.New("team", now), tenant.Id, millis);
        var team = (await session.QuerySingleAsync(SelectTeam, Rows.Team, tenant.Id))!;

        var created = await session.ExecuteAsync(
            InsertAdmin,
            IdGenerator.New("a", now),
            tenant.Id,
            request.AdminUsername,
            request.AdminDisplayName,
            request.AdminPasswordHash,
            request.DefaultMaxConcurrent,
            request.AdminMustChangePassword,
            millis) == 1;
        var admin = (await session.QuerySingleAsync(SelectAdmin, Rows.Agent, tenant.Id, request.AdminUsername))!;
        await session.ExecuteAsync(InsertMember, team.Id, admin.Id);

        SetResult(new BootstrapResult(tenant, site, team, admin, created));
    }

    private static string RandomKey(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
