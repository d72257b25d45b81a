using Kefu.Core.Messaging;
using Kefu.Redis;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kefu.Server.Messaging;

/// <summary>
/// Starts this node's bus before anything subscribes: in process by default, Redis when
/// <c>Kefu:Bus</c> is <c>redis</c> (<c>ConnectionStrings:Redis</c>). A node starts even while Redis is
/// down; delivery between nodes begins when it comes up.
/// </summary>
internal sealed partial class BusStarter(
    NodeBus bus,
    IOptions<StorageOptions> storage,
    IServiceProvider services,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<BusStarter> logger) : IHostedService, IAsyncDisposable
{
    private RedisBus? _redisBus;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!string.Equals(storage.Value.Bus, "redis", StringComparison.OrdinalIgnoreCase))
        {
            bus.Attach(new InProcessBus());
            return;
        }
        // Shared with the presence registry and routing state, and disposed with them by the container.
        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        _redisBus = await RedisBus.StartAsync(redis, new RedisBusOptions(), time, loggers.CreateLogger<RedisBus>(), cancellationToken);
        bus.Attach(_redisBus);
        LogRedis(logger);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_redisBus is not null)
        {
            await _redisBus.DisposeAsync();
            _redisBus = null;
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Bus: Redis")]
    private static partial void LogRedis(ILogger logger);
}
