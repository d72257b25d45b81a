using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Server.Auth;

/// <summary>
/// Turns a token into a <see cref="Caller"/>. Agent tokens are checked against the store on every use, so
/// disabling an agent (or changing its password) revokes them at once.
/// </summary>
internal sealed class CallerResolver(TokenService tokens, IDirectoryStore directory)
{
    public async Task<Caller?> ResolveAsync(string? token, CancellationToken cancellationToken)
    {
        var claims = tokens.Validate(token);
        if (claims is null)
        {
            return null;
        }
        if (claims.Role == Roles.Visitor)
        {
            return new Caller(claims.Sub, Roles.Visitor, claims.Tid, claims.Sid, null, false);
        }
        if (claims.Role != Roles.Agent)
        {
            return null;
        }
        var agent = await directory.GetAgentAsync(claims.Sub, cancellationToken);
        if (agent is null || agent.Disabled || agent.TokenVersion != claims.Ver || agent.TenantId != claims.Tid)
        {
            return null;
        }
        return new Caller(agent.Id, Roles.Agent, agent.TenantId, null, agent.DisplayName, agent.IsAdmin);
    }
}
