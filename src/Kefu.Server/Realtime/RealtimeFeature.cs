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

    public static IEndpointRouteBuilder MapKefuRealtime(this IEndpointRouteBuilder app)
    {
        app.Map("/ws", WebSocketEndpoint.HandleAsync).ExcludeFromDescription();
        return app;
    }
}
