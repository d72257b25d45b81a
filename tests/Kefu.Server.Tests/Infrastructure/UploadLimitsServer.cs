using System.Globalization;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// A server with per-site upload settings: the default site accepts only images and audio and limits images;
/// a second tenant's site has a small quota; a third site allows only one browser origin; a fourth has a quota for uploads created all at once.
/// </summary>
public sealed class UploadLimitsServer : IAsyncLifetime
{
    public const long MaxBytes = 100_000;
    public const long MaxImageBytes = 3000;
    public const string QuotaSiteKey = SecondTenant.SiteKey;
    public const string CorsSiteKey = "cors-site";
    public const string BurstSiteKey = "burst-site";
    public const long BurstQuotaBytes = 10_000;

    internal ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Uploads__MaxBytes"] = MaxBytes.ToString(CultureInfo.InvariantCulture),
            ["Kefu__Uploads__Sites__default__AllowedTypes__0"] = "image/*",
            ["Kefu__Uploads__Sites__default__AllowedTypes__1"] = "audio/ogg",
            ["Kefu__Uploads__Sites__default__MaxImageBytes"] = MaxImageBytes.ToString(CultureInfo.InvariantCulture),
            [$"Kefu__Uploads__Sites__{QuotaSiteKey}__QuotaBytes"] = "5000",
            [$"Kefu__Uploads__Sites__{QuotaSiteKey}__MaxBytes"] = "4000",
            [$"Kefu__Uploads__Sites__{BurstSiteKey}__QuotaBytes"] = BurstQuotaBytes.ToString(CultureInfo.InvariantCulture),
        });
        SecondTenant.Create(Server.DatabasePath);
        Db.Execute(Server.DatabasePath,
            "INSERT INTO sites (id, tenant_id, site_key, name, allowed_origins, identity_secret, require_identity, created_at) "
            + "VALUES ('s_cors', 't_other', $key, 'Shop', '[\"https://shop.example\"]', 'secret-cors', 0, 1700000000000)",
            ("$key", CorsSiteKey));
        Db.Execute(Server.DatabasePath,
            "INSERT INTO sites (id, tenant_id, site_key, name, allowed_origins, identity_secret, require_identity, created_at) "
            + "VALUES ('s_burst', 't_other', $key, 'Burst', '[]', 'secret-burst', 0, 1700000000000)",
            ("$key", BurstSiteKey));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class UploadLimitsServerGroup : ICollectionFixture<UploadLimitsServer>
{
    public const string Name = "upload limits server";
}
