using System.Text.Json;

namespace Kefu.Server.Visitors;

internal sealed record VisitorSessionRequest(string? SiteKey, string? Token, VisitorIdentity? Identity, JsonElement? Context);

internal sealed record VisitorIdentity(string? UserId, string? Name, string? Email, string? Signature);

internal sealed record VisitorSessionResponse(string VisitorId, string Token, DateTimeOffset ExpiresAt);
