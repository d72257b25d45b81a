using System.Security.Claims;
using Kefu.Core.Protocol;

namespace Kefu.Server.Auth;

/// <summary>Who is calling, after the token was checked: a visitor of one site, or an agent of one tenant.</summary>
internal sealed record Caller(string UserId, string Role, string TenantId, string? SiteId, string? Name, bool IsAdmin)
{
    public bool IsAgent => Role == Roles.Agent;

    public bool IsVisitor => Role == Roles.Visitor;

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, UserId),
            new(ClaimTypes.Role, Role),
            new("tid", TenantId),
        };
        if (SiteId is not null)
        {
            claims.Add(new Claim("sid", SiteId));
        }
        if (Name is not null)
        {
            claims.Add(new Claim(ClaimTypes.Name, Name));
        }
        if (IsAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, "admin"));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static Caller From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var role = principal.IsInRole(Roles.Agent) ? Roles.Agent : Roles.Visitor;
        return new Caller(
            principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No subject."),
            role,
            principal.FindFirstValue("tid") ?? throw new InvalidOperationException("No tenant."),
            principal.FindFirstValue("sid"),
            principal.FindFirstValue(ClaimTypes.Name),
            principal.IsInRole("admin"));
    }
}
