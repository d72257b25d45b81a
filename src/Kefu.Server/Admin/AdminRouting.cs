using Kefu.Server.Conversations;
using Kefu.Server.Routing;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Admin;

/// <summary>
/// The routing and lifecycle settings in effect. They come from configuration (<c>Kefu:Routing</c>,
/// <c>Kefu:Lifecycle</c>) and apply to every node alike; per-team settings (strategy, skill timeout) are on the teams.
/// </summary>
internal static class AdminRouting
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/routing/settings", (IOptions<RoutingOptions> routing, IOptions<LifecycleOptions> lifecycle) =>
            Results.Ok(new { routing = routing.Value, lifecycle = lifecycle.Value }))
            .WithSummary("The routing and lifecycle settings in effect (from configuration).");
}
