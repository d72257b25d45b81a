namespace Kefu.Server.Auth;

/// <summary>
/// What a token says. <see cref="Version"/> is the agent's token version: disabling an agent or changing its
/// password bumps it, which revokes every token issued before.
/// </summary>
internal sealed record TokenClaims(string Sub, string Role, string Tid, string? Sid, int Ver, long Exp);
