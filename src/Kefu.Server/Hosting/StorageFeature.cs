using Kefu.Core.Messaging;
using Kefu.Core.Storage;
using Kefu.Server.Messaging;
using Kefu.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting;

internal static class StorageFeature
{
    public static IServiceCollection AddKefuStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection("Kefu"))
            .PostConfigure(o => o.RedisConnectionString = configuration.GetConnectionString("Redis"))
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var dataDir = Path.GetFullPath(options.DataDir, Environment.CurrentDirectory);
            Directory.CreateDirectory(dataDir);
            return new SqliteStore(
                new SqliteStoreOptions { DatabasePath = Path.Combine(dataDir, "kefu.db"), MaxBatchSize = options.MaxBatchSize },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IStoreObserver>(),
                sp.GetRequiredService<ILogger<SqliteStore>>());
        });
        services.AddSingleton<IDirectoryStore>(sp => sp.GetRequiredService<SqliteStore>());
        services.AddSingleton<IConversationStore>(sp => sp.GetRequiredService<SqliteStore>());
        services.AddSingleton<NodeBus>();
        services.AddSingleton<IMessageBus>(sp => sp.GetRequiredService<NodeBus>());
        // Before every other hosted service, so the bus is attached before anyone subscribes or publishes.
        services.AddHostedService<BusStarter>();
        services.AddHostedService<BusRecovery>();
        return services;
    }
}
