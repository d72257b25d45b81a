using Kefu.Core.Storage;

namespace Kefu.Server.Visitors;

/// <summary>
/// A site's allowed origins gate browsers (CORS and the WebSocket <c>Origin</c>): any origin until an admin
/// sets the list. Native apps send no Origin and are not browsers, so they are not gated by it.
/// </summary>
internal static class OriginPolicy
{
    public static bool Allows(Site site, string? origin)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (site.AllowedOrigins.Count == 0 || string.IsNullOrEmpty(origin))
        {
            return true;
        }
        foreach (var allowed in site.AllowedOrigins)
        {
            if (allowed == "*" || string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
