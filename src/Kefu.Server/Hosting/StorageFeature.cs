using Kefu.Core.Leases;
using Kefu.Core.Messaging;
using Kefu.Core.Storage;
using Kefu.Server.Messaging;
using Kefu.Storage.Postgres;
using Kefu.Storage.Postgres.Leases;
using Kefu.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting;

/// <summary>
/// The one place that picks the store (<c>Kefu:Store</c>: sqlite, the default, or postgres with
/// <c>ConnectionStrings:Postgres</c>) and registers it for every store port, and the bus.
/// </summary>
internal static class StorageFeature
{
    public static IServiceCollection AddKefuStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection("Kefu"))
            .PostConfigure(o =>
            {
                o.RedisConnectionString = configuration.GetConnectionString("Redis");
                o.PostgresConnectionString = configuration.GetConnectionString("Postgres");
            })
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
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new PostgresStore(
                new PostgresStoreOptions { ConnectionString = options.PostgresConnectionString!, MaxBatchSize = options.MaxBatchSize },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IStoreObserver>(),
                sp.GetRequiredService<ILogger<PostgresStore>>());
        });
        // Only the chosen store is ever resolved, so the other one is never opened.
        services.AddSingleton<IDirectoryStore>(sp => UsesPostgres(sp) ? sp.GetRequiredService<PostgresStore>() : sp.GetRequiredService<SqliteStore>());
        services.AddSingleton<IConversationStore>(sp => UsesPostgres(sp) ? sp.GetRequiredService<PostgresStore>() : sp.GetRequiredService<SqliteStore>());
        services.AddSingleton<IBusinessHoursStore>(sp => UsesPostgres(sp) ? sp.GetRequiredService<PostgresStore>() : sp.GetRequiredService<SqliteStore>());
        services.AddSingleton(sp => UsesPostgres(sp) ? sp.GetRequiredService<PostgresStore>().Faq : sp.GetRequiredService<SqliteStore>().Faq);
        services.AddSingleton(sp => UsesPostgres(sp) ? sp.GetRequiredService<PostgresStore>().Learning : sp.GetRequiredService<SqliteStore>().Learning);
        services.AddSingleton(sp => UsesPostgres(sp) ? sp.GetRequiredService<PostgresStore>().Uploads : sp.GetRequiredService<SqliteStore>().Uploads);
        services.AddSingleton(sp => UsesPostgres(sp) ? sp.GetRequiredService<PostgresStore>().BotFlow : sp.GetRequiredService<SqliteStore>().BotFlow);
        // Periodic jobs run on one node at a time: a PostgreSQL advisory lock picks it; one SQLite node runs them all.
        services.AddSingleton<IJobLease>(sp => UsesPostgres(sp)
            ? new PostgresJobLease(sp.GetRequiredService<IOptions<StorageOptions>>().Value.PostgresConnectionString!, sp.GetRequiredService<ILogger<PostgresJobLease>>())
            : new SingleNodeJobLease());
        services.AddSingleton<NodeBus>();
        services.AddSingleton<IMessageBus>(sp => sp.GetRequiredService<NodeBus>());
        // Before every other hosted service, so the bus is attached before anyone subscribes or publishes.
        services.AddHostedService<BusStarter>();
        services.AddSingleton<BusRecovery>();
        services.AddHostedService(sp => sp.GetRequiredService<BusRecovery>());
        services.AddHostedService<NodeWatch>();
        services.AddHostedService<ChangesFromOtherNodes>();
        return services;
    }

    private static bool UsesPostgres(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value.UsesPostgres;
}
