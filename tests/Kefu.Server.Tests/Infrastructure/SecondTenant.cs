using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>Another tenant with its own site and agent, written straight into the database (no tenant API yet).</summary>
internal static class SecondTenant
{
    public const string Username = "other-agent";
    public const string Password = "other-password-1";
    public const string SiteKey = "other-site";

    public static void Create(string databasePath)
    {
        var hash = new PasswordHasher<object>().HashPassword(new object(), Password);
        const long now = 1_700_000_000_000;
        Db.Execute(databasePath, "INSERT OR IGNORE INTO tenants (id, slug, name, created_at) VALUES ('t_other', 'other', 'Other', $now)", ("$now", now));
        Db.Execute(databasePath, "INSERT OR IGNORE INTO sites (id, tenant_id, site_key, name, allowed_origins, identity_secret, require_identity, created_at) VALUES ('s_other', 't_other', $key, 'Other', '[]', 'secret-other', 0, $now)", ("$key", SiteKey), ("$now", now));
        Db.Execute(databasePath, "INSERT OR IGNORE INTO teams (id, tenant_id, name, is_default, created_at) VALUES ('team_other', 't_other', 'Default', 1, $now)", ("$now", now));
        Db.Execute(databasePath, "INSERT OR IGNORE INTO agents (id, tenant_id, username, display_name, password_hash, is_admin, max_concurrent, disabled, token_version, must_change_password, created_at) VALUES ('a_other', 't_other', $u, 'Other admin', $h, 1, 10, 0, 0, 0, $now)", ("$u", Username), ("$h", hash), ("$now", now));
    }
}
