using Kefu.Core.Diagnostics;
using Kefu.Server.Realtime;
using Kefu.Server.Routing;
using Kefu.Storage.Sqlite;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Kefu.Server.Hosting;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format: Kefu's own instruments (<see cref="KefuMetrics"/>),
/// the .NET runtime's and Kestrel's. See docs/deployment.md, "What to monitor".
/// </summary>
internal static class MetricsFeature
{
    public const string Path = "/metrics";

    public static IServiceCollection AddKefuMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateOnStart();
        if (!configuration.GetValue(MetricsOptions.Section + ":Enabled", defaultValue: true))
        {
            return services;
        }
        services.AddSingleton<MetricsAccess>();
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("kefu")).WithMetrics(metrics => metrics
            .AddMeter(KefuMetrics.MeterName)
            .AddMeter("System.Runtime")
            .AddMeter("Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapKefuMetrics(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
        {
            return app;
        }
        var registry = app.ServiceProvider.GetRequiredService<ConnectionRegistry>();
        KefuMetrics.Meter.CreateObservableUpDownCounter("kefu.connections.open", () => registry.UpgradedCount, "{connection}",
            "WebSocket connections open on this node (counted against its connection cap).");
        var routing = app.ServiceProvider.GetRequiredService<RoutingSignals>();
        KefuMetrics.Meter.CreateObservableUpDownCounter("kefu.routing.queued", () => routing.QueuedCount, "{conversation}",
            "Conversations waiting in the routing queue, of every tenant and team (in a cluster every node reports the same total).");
        if (!app.ServiceProvider.GetRequiredService<IOptions<StorageOptions>>().Value.UsesPostgres)
        {
            KefuMetrics.Meter.CreateObservableUpDownCounter("kefu.sqlite.memory", () => SqliteStore.MemoryUsedBytes, "By",
                "Memory SQLite holds in this process: the page caches of the writer and of the pooled read connections.");
        }
        var access = app.ServiceProvider.GetRequiredService<MetricsAccess>();
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (http, next) =>
        {
            if (!access.Allows(http))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            await next(http);
        }), optionsName: null).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
