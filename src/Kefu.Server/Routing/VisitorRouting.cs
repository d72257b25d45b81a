using System.Collections.Concurrent;

namespace Kefu.Server.Routing;

/// <summary>
/// What a visitor's entry point asked for (<c>PUT /api/v1/visitor/routing</c>): a team (id or name) and
/// skills, used when the visitor's next conversation starts. Kept on this node.
/// </summary>
internal sealed class VisitorRouting
{
    private readonly ConcurrentDictionary<string, VisitorRoutingRequest> _requests = new(StringComparer.Ordinal);

    public void Set(string visitorId, VisitorRoutingRequest request) => _requests[visitorId] = request;

    public VisitorRoutingRequest? Get(string visitorId) => _requests.GetValueOrDefault(visitorId);
}
