using Kefu.Server.Agents;
using Kefu.Server.Hosting;

namespace Kefu.Server.Realtime;

internal static class RealtimeFeature
{
    public static IServiceCollection AddKefuRealtime(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateOnStart();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<ConnectionCap>();
        services.AddSingleton<AgentPresence>();
        services.AddSingleton<ConnectionLoop>();
        services.AddSingleton<FrameDispatcher>();
        services.AddSingleton<HelloHandler>();
        services.AddSingleton<SendHandler>();
        services.AddSingleton<BusDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<BusDelivery>());
        services.AddSingleton<ConnectionSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ConnectionSweeper>());
        return services;
    }

    /// <summary>
    /// Branches <c>/ws</c> off at the very start of the pipeline: an upgraded connection lives for hours, and
    /// every middleware it passed through stays suspended on its stack, costing memory per connection.
    /// </summary>
    public static WebApplication UseKefuRealtime(this WebApplication app)
    {
        app.Map("/ws", branch =>
        {
            branch.UseWebSockets();
            branch.Run(WebSocketEndpoint.HandleAsync);
        });
        return app;
    }
}
