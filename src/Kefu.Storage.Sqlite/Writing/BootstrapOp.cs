using System.Security.Cryptography;
using Kefu.Core.Ids;
using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// Creates the default tenant, site, team and the first admin by natural keys (insert-or-ignore, then
/// select; the writer's transaction holds the write lock), so every node that starts at once ends with
/// the same rows and only one sees AdminCreated.
/// </summary>
internal sealed class BootstrapOp(BootstrapRequest request, CancellationToken cancellationToken) : WriteOp<BootstrapResult>(cancellationToken)
{
    private const string DefaultSlug = "default";
    private const string DefaultSiteKey = "default";

    private const string InsertTenant = "INSERT OR IGNORE INTO tenants (id, slug, name, created_at) VALUES ($1, $2, 'Default', $3);";
    private const string SelectTenant = "SELECT id, slug, name FROM tenants WHERE slug = $1;";

    // A site has no natural key but its random site key; the write lock held by BEGIN IMMEDIATE makes
    // "insert when the tenant has none" safe across processes.
    private const string InsertSite =
        "INSERT INTO sites (id, tenant_id, site_key, name, allowed_origins, identity_secret, require_identity, created_at) "
        + "SELECT $1, $2, $3, 'Default site', '[]', $4, 0, $5 WHERE NOT EXISTS (SELECT 1 FROM sites WHERE tenant_id = $2);";
    private const string SelectSite = "SELECT " + Rows.SiteColumns + " FROM sites WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 1;";

    private const string InsertTeam = "INSERT OR IGNORE INTO teams (id, tenant_id, name, is_default, created_at) VALUES ($1, $2, 'Default', 1, $3);";
    private const string SelectTeam = "SELECT id, tenant_id, name, is_default FROM teams WHERE tenant_id = $1 AND name = 'Default';";

    // The first admin is created once per tenant: a later start with another configured username does
    // not add a second admin, it gets the existing one back.
    private const string InsertAdmin =
        "INSERT OR IGNORE INTO agents (id, tenant_id, username, display_name, password_hash, is_admin, max_concurrent, disabled, token_version, must_change_password, created_at) "
        + "SELECT $1, $2, $3, $4, $5, 1, $6, 0, 0, $7, $8 WHERE NOT EXISTS (SELECT 1 FROM agents WHERE tenant_id = $2 AND is_admin = 1);";
    private const string SelectAdmin =
        "SELECT " + Rows.AgentColumns + " FROM agents WHERE tenant_id = $1 AND is_admin = 1 ORDER BY username = $2 DESC, created_at, rowid LIMIT 1;";

    private const string InsertMember = "INSERT OR IGNORE INTO team_members (team_id, agent_id) VALUES ($1, $2);";

    public override bool NeedsSavepoint => true;

    public override void Execute(WriterSession session)
    {
        var now = session.Now();
        var millis = Rows.Millis(now);

        session.Execute(InsertTenant, IdGenerator.New("t", now), DefaultSlug, millis);
        var tenant = session.QuerySingle(SelectTenant, Rows.Tenant, DefaultSlug)!;

        session.Execute(InsertSite, IdGenerator.New("s", now), tenant.Id, DefaultSiteKey, RandomKey(32), millis);
        var site = session.QuerySingle(SelectSite, Rows.Site, tenant.Id)!;

        session.Execute(InsertTeam, IdGenerator.New("team", now), tenant.Id, millis);
        var team = session.QuerySingle(SelectTeam, Rows.Team, tenant.Id)!;

        var created = session.Execute(
            InsertAdmin,
            IdGenerator.New("a", now),
            tenant.Id,
            request.AdminUsername,
            request.AdminDisplayName,
            request.AdminPasswordHash,
            request.DefaultMaxConcurrent,
            request.AdminMustChangePassword ? 1 : 0,
            millis) == 1;
        var admin = session.QuerySingle(SelectAdmin, Rows.Agent, tenant.Id, request.AdminUsername)!;
        session.Execute(InsertMember, team.Id, admin.Id);

        SetResult(new BootstrapResult(tenant, site, team, admin, created));
    }

    private static string RandomKey(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
