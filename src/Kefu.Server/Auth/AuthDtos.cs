namespace Kefu.Server.Auth;

internal sealed record LoginRequest(string? Username, string? Password);

internal sealed record AgentProfile(string Id, string Username, string DisplayName, bool IsAdmin, string TenantId, bool MustChangePassword);

internal sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, AgentProfile Agent);
