using System.Threading.RateLimiting;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Visitors;

internal static class VisitorEndpoints
{
    private const string SessionsPolicy = "visitor-sessions";
    private const int MaxIdentityField = 256;

    public static IServiceCollection AddKefuVisitors(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "10";
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(SessionsPolicy, http =>
            {
                var perMinute = http.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value.VisitorSessionsPerMinute;
                return RateLimitPartition.GetSlidingWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new SlidingWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6, QueueLimit = 0 });
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapKefuVisitors(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/visitor/sessions", CreateSessionAsync).WithTags("Visitors").AllowAnonymous().RequireRateLimiting(SessionsPolicy);
        app.MapMethods("/api/v1/visitor/sessions", ["OPTIONS"], Preflight).ExcludeFromDescription();
        app.MapGet("/api/v1/visitors/{id}", VisitorDetails.GetAsync).WithTags("Visitors").RequireAuthorization(Policies.Agent);
        return app;
    }

    /// <summary>Any origin may ask; the answer to the real request carries CORS headers only for allowed origins.</summary>
    private static IResult Preflight(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            http.Response.Headers.AccessControlAllowOrigin = origin;
            http.Response.Headers.AccessControlAllowMethods = "POST, OPTIONS";
            http.Response.Headers.AccessControlAllowHeaders = "content-type";
            http.Response.Headers.AccessControlMaxAge = "600";
            http.Response.Headers.Vary = "Origin";
        }
        return Results.NoContent();
    }

    private static async Task<IResult> CreateSessionAsync(
        VisitorSessionRequest request,
        HttpContext http,
        IDirectoryStore directory,
        TokenService tokens,
        IOptions<AuthOptions> auth,
        TimeProvider time)
    {
        var ct = http.RequestAborted;
        if (string.IsNullOrWhiteSpace(request.SiteKey) || request.SiteKey.Length > 128)
        {
            return Problem(StatusCodes.Status400BadRequest, "siteKey is required.");
        }
        var site = await directory.FindSiteByKeyAsync(request.SiteKey, ct);
        if (site is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown siteKey.");
        }
        var origin = http.Request.Headers.Origin.ToString();
        if (!OriginPolicy.Allows(site, origin))
        {
            return Problem(StatusCodes.Status403Forbidden, "This origin may not use this site.");
        }
        if (origin.Length > 0)
        {
            http.Response.Headers.AccessControlAllowOrigin = origin;
            http.Response.Headers.Vary = "Origin";
        }
        var identity = request.Identity;
        if (identity is not null && (Longer(identity.UserId) || Longer(identity.Name) || Longer(identity.Email) || Longer(identity.Signature)))
        {
            return Problem(StatusCodes.Status400BadRequest, $"Identity fields have at most {MaxIdentityField} characters.");
        }
        var hasUserId = !string.IsNullOrEmpty(identity?.UserId);
        var signed = hasUserId && !string.IsNullOrEmpty(identity!.Signature);
        if (signed && !IdentitySignature.Verify(site.IdentitySecret, identity!.UserId!, identity.Signature))
        {
            return Problem(StatusCodes.Status401Unauthorized, "The identity signature does not match.");
        }
        if (site.RequireIdentity && !signed)
        {
            return Problem(StatusCodes.Status401Unauthorized, "This site requires a signed identity.");
        }

        var context = VisitorContext.Merge(request.Context, http.Connection.RemoteIpAddress?.ToString(), UserAgent(http), VisitorContext.AcceptLocale(http.Request));
        Visitor? visitor = null;
        if (signed)
        {
            visitor = await directory.GetOrCreateVisitorAsync(
                new VisitorRegistration(site.TenantId, site.Id, identity!.UserId, identity.Name, identity.Email, context), time.GetUtcNow(), ct);
        }
        else if (tokens.Validate(request.Token, allowExpired: true) is { Role: Roles.Visitor } claims && claims.Sid == site.Id)
        {
            // A previous token, even an expired one, renews the same visitor; nothing else can claim it.
            visitor = await directory.GetVisitorAsync(claims.Sub, ct);
        }
        visitor ??= await directory.GetOrCreateVisitorAsync(
            new VisitorRegistration(site.TenantId, site.Id, null, identity?.Name, identity?.Email, context), time.GetUtcNow(), ct);
        await directory.UpdateVisitorContextAsync(visitor.Id, context, ct);

        var (token, expiresAt) = tokens.Issue(visitor.Id, Roles.Visitor, site.TenantId, site.Id, 0, TimeSpan.FromDays(auth.Value.VisitorTokenDays));
        return Results.Ok(new VisitorSessionResponse(visitor.Id, token, expiresAt));
    }

    private static bool Longer(string? value) => value is { Length: > MaxIdentityField };

    private static string? UserAgent(HttpContext http) =>
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 512)] : null;

    private static IResult Problem(int status, string title) => Results.Problem(statusCode: status, title: title);
}
