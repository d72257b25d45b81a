using Kefu.Core.Presence;
using Kefu.Core.Routing;
using Kefu.Redis;
using Kefu.Server.Agents;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kefu.Server.Routing;

/// <summary>
/// The state routing shares between nodes: the presence registry and the shared routing state, in Redis
/// when <c>Kefu:Bus</c> is <c>redis</c> (on the bus's connection), in process otherwise.
/// </summary>
internal static class SharedStateFeature
{
    /// <summary>How long an unconfirmed capacity reservation holds an agent's place.</summary>
    private static readonly TimeSpan ReservationLifetime = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddKefuSharedState(this IServiceCollection services)
    {
        services.AddSingleton<NodeIdentity>();
        // Connects in the background while Redis is down; the bus, presence and routing state share it.
        services.AddSingleton<IConnectionMultiplexer>(sp =>
            ConnectionMultiplexer.Connect(RedisConnection.Configure(sp.GetRequiredService<IOptions<StorageOptions>>().Value.RedisConnectionString!)));
        services.AddSingleton<IPresenceRegistry>(sp =>
        {
            var lifetime = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<RoutingOptions>>().Value.PresenceSeconds);
            var time = sp.GetRequiredService<TimeProvider>();
            return UsesRedis(sp)
                ? new RedisPresenceRegistry(sp.GetRequiredService<IConnectionMultiplexer>(), new RedisPresenceOptions { EntryLifetime = lifetime }, time)
                : new InProcessPresenceRegistry(time, lifetime);
        });
        services.AddSingleton<IClusterRoutingState>(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            return UsesRedis(sp)
                ? new RedisClusterRoutingState(sp.GetRequiredService<IConnectionMultiplexer>(), new RedisRoutingStateOptions { ReservationLifetime = ReservationLifetime }, time)
                : new InProcessClusterRoutingState(time, ReservationLifetime);
        });
        services.AddHostedService<PresenceKeeper>();
        return services;
    }

    public static bool UsesRedis(IServiceProvider services) =>
        string.Equals(services.GetRequiredService<IOptions<StorageOptions>>().Value.Bus, "redis", StringComparison.OrdinalIgnoreCase);
}
