using Kefu.Core.Storage;
using Kefu.Server.Messaging;

namespace Kefu.Server.Hosting;

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapKefuHealth(this IEndpointRouteBuilder app)
    {
        // Process up: no dependency is checked, so a store outage never restarts healthy processes.
        app.MapGet("/healthz", () => Results.Ok(new HealthStatus("ok"))).WithTags("Health").AllowAnonymous();
        app.MapGet("/readyz", ReadyAsync).WithTags("Health").AllowAnonymous();
        return app;
    }

    private static async Task<IResult> ReadyAsync(IDirectoryStore directory, NodeBus bus, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Results.Json(new HealthStatus("draining"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        bool reachable;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            reachable = await directory.PingAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            reachable = false;
        }
        if (!reachable)
        {
            return Results.Json(new HealthStatus("store unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        // A bus outage delays delivery between nodes but loses nothing: stay in the balancer, say degraded.
        return Results.Ok(new HealthStatus(bus.IsConnected ? "ready" : "degraded"));
    }
}

internal sealed record HealthStatus(string Status);
