namespace Kefu.Server.Routing;

/// <summary>The body of <c>PUT /api/v1/visitor/routing</c>: <see cref="Team"/> is a team's id or name.</summary>
internal sealed record VisitorRoutingRequest(string? Team, IReadOnlyList<string>? Skills);
