using System.Security.Cryptography;
using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting;

/// <summary>
/// Runs before the server listens: migrates the schema, loads the shared signing key and creates the
/// default tenant, site, team and first admin. Every step is idempotent by natural keys, so several nodes
/// may start at once.
/// </summary>
internal sealed partial class FirstRun(
    IDirectoryStore directory,
    SigningKeyRing keys,
    IPasswordHasher<Agent> hasher,
    IOptions<AuthOptions> auth,
    IOptions<AdminOptions> admin,
    ILogger<FirstRun> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await directory.MigrateAsync(cancellationToken);
        keys.Load(await LoadSigningKeyAsync(cancellationToken));

        var configured = !string.IsNullOrEmpty(admin.Value.Password);
        var username = string.IsNullOrWhiteSpace(admin.Value.Username) ? "admin" : admin.Value.Username.Trim();
        var password = configured ? admin.Value.Password! : GeneratePassword();
        var request = new BootstrapRequest(username, hasher.HashPassword(null!, password), admin.Value.DisplayName, !configured, admin.Value.MaxConcurrent);
        var result = await directory.BootstrapAsync(request, cancellationToken);
        LogReady(logger, result.Tenant.Id, result.Site.SiteKey);
        if (result.AdminCreated && !configured)
        {
            // Printed once, to the console only: logs must never hold secrets.
            await Console.Out.WriteLineAsync($"""

                ==========================================================
                 Kefu first run: created the admin account
                   username: {username}
                   password: {password}
                 Log in at /console and change it. This is shown once.
                ==========================================================

                """.AsMemory(), cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<byte[]> LoadSigningKeyAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(auth.Value.SigningKey))
        {
            return SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(auth.Value.SigningKey));
        }
        var stored = await directory.GetOrAddSettingAsync("auth.signingKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), cancellationToken);
        return Convert.FromBase64String(stored);
    }

    private static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Store ready: tenant {TenantId}, site key {SiteKey}")]
    private static partial void LogReady(ILogger logger, string tenantId, string siteKey);
}
