using Kefu.Core.Storage;
using Kefu.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Adapters.Tests;

/// <summary>The store specification against a real SQLite file in a fresh temporary folder.</summary>
public sealed class SqliteStoreSpecificationTests : StoreSpecification
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kefu-tests", Guid.NewGuid().ToString("N"));

    public SqliteStoreSpecificationTests() => System.IO.Directory.CreateDirectory(_folder);

    private string DatabasePath => Path.Combine(_folder, "kefu.db");

    protected override StoreUnderTest OpenStore(IStoreObserver observer, TimeProvider timeProvider)
    {
        var store = new SqliteStore(
            new SqliteStoreOptions { DatabasePath = DatabasePath },
            timeProvider,
            observer,
            NullLogger<SqliteStore>.Instance);
        return new StoreUnderTest(store, store, store.Uploads, store);
    }

    protected override ValueTask DropDatabaseAsync()
    {
        System.IO.Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
