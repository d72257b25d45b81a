namespace Kefu.Server.Routing;

internal sealed record UnassignRequest(string? Note);
