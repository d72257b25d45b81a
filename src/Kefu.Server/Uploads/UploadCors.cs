using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Kefu.Server.Visitors;

namespace Kefu.Server.Uploads;

/// <summary>
/// CORS for tus clients in the widget, which runs on the customer's pages. Any origin may ask (preflight); a real
/// request's answer carries CORS headers when its origin is one of the visitor's site's allowed origins (any until an
/// admin sets the list, as for visitor sessions and the WebSocket), for agents, and for answers that reveal nothing
/// (401). The tus response headers are exposed so the client can read offsets and the upload's location.
/// </summary>
internal sealed class UploadCors(IDirectoryStore directory)
{
    public const string ExposedHeaders =
        "Location, Tus-Resumable, Tus-Version, Tus-Max-Size, Tus-Extension, Upload-Offset, Upload-Length, Upload-Expires, Upload-Metadata";

    private const string AllowedHeaders =
        "Authorization, Content-Type, Tus-Resumable, Upload-Length, Upload-Metadata, Upload-Offset, Upload-Defer-Length, Upload-Concat, X-HTTP-Method-Override, X-Requested-With";

    private const string AllowedMethods = "GET, HEAD, POST, PATCH, DELETE, OPTIONS";

    public static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method");

    public static void Preflight(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return;
        }
        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlExposeHeaders = ExposedHeaders;
        headers.AccessControlMaxAge = "600";
        headers.Vary = "Origin";
    }

    /// <summary>For an answer to a signed link: readable from any page that holds the link.</summary>
    public static void AllowAnyOrigin(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            http.Response.Headers.AccessControlAllowOrigin = origin;
            http.Response.Headers.AccessControlExposeHeaders = "Content-Length, Content-Range, Content-Disposition";
            http.Response.Headers.Vary = "Origin";
        }
    }

    /// <summary>Adds the CORS headers to a real request's answer when the caller's origin is allowed.</summary>
    public async Task ApplyAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return;
        }
        if (http.User.Identity?.IsAuthenticated == true)
        {
            var caller = Caller.From(http.User);
            if (caller.IsVisitor && (caller.SiteId is null
                || await directory.GetSiteAsync(caller.SiteId, http.RequestAborted) is not { } site || !OriginPolicy.Allows(site, origin)))
            {
                return;
            }
        }
        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlExposeHeaders = ExposedHeaders;
        headers.Vary = "Origin";
    }
}
