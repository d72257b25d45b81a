using Kefu.Core.Storage;
using Kefu.Server.Auth;

namespace Kefu.Server.Bots;

/// <summary>The site an admin call is about: by key (the default site when none), only within the caller's tenant.</summary>
internal static class BotSites
{
    public static async Task<Site?> FindAsync(HttpContext http, IDirectoryStore directory, string? siteKey)
    {
        var site = await directory.FindSiteByKeyAsync(string.IsNullOrWhiteSpace(siteKey) ? "default" : siteKey, http.RequestAborted);
        return site is not null && site.TenantId == Caller.From(http.User).TenantId ? site : null;
    }

    public static async Task<bool> OwnsAsync(HttpContext http, IDirectoryStore directory, string siteId)
    {
        var site = await directory.GetSiteAsync(siteId, http.RequestAborted);
        return site is not null && site.TenantId == Caller.From(http.User).TenantId;
    }

    public static IResult UnknownSite() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown siteKey.");

    public static IResult BadRequest(string title) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title);
}
