using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Core.Storage;
using Kefu.Storage.Postgres;
using Kefu.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kefu.Benchmarks.Appends;

/// <summary>A migrated, empty store of one kind, with whatever it runs on, removed again on dispose.</summary>
internal sealed class BenchStore : IAsyncDisposable
{
    private readonly IAsyncDisposable _store;
    private readonly Func<ValueTask> _cleanUp;

    private BenchStore(IDirectoryStore directory, IConversationStore conversations, IAsyncDisposable store, Func<ValueTask> cleanUp)
    {
        Directory = directory;
        Conversations = conversations;
        _store = store;
        _cleanUp = cleanUp;
    }

    public IDirectoryStore Directory { get; }

    public IConversationStore Conversations { get; }

    public static async Task<BenchStore> OpenAsync(string kind, string? postgresConnectionString)
    {
        BenchStore opened;
        if (kind == "sqlite")
        {
            var folder = System.IO.Directory.CreateTempSubdirectory("kefu-appends-").FullName;
            var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = Path.Combine(folder, "kefu.db") }, TimeProvider.System, new NoObserver(), NullLogger<SqliteStore>.Instance);
            opened = new BenchStore(store, store, store, () =>
            {
                System.IO.Directory.Delete(folder, recursive: true);
                return ValueTask.CompletedTask;
            });
        }
        else if (kind == "postgres")
        {
            var server = postgresConnectionString is null
                ? await PostgresServer.StartAsync(PostgresServer.FindBinaries() ?? throw new InvalidOperationException("initdb and pg_ctl were not found; pass --postgres."))
                : null;
            var connectionString = postgresConnectionString
                ?? new NpgsqlConnectionStringBuilder(server!.ConnectionString) { Pooling = true }.ToString();
            var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = connectionString }, TimeProvider.System, new NoObserver(), NullLogger<PostgresStore>.Instance);
            opened = new BenchStore(store, store, store, () => server?.DisposeAsync() ?? ValueTask.CompletedTask);
        }
        else
        {
            throw new ArgumentException($"Unknown store {kind}: sqlite or postgres.", nameof(kind));
        }
        await opened.Directory.MigrateAsync(CancellationToken.None);
        return opened;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _cleanUp();
    }

    private sealed class NoObserver : IStoreObserver
    {
        public void OnCommitted(StoreChange change)
        {
        }
    }
}
