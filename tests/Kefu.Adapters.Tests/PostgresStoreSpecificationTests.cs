using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Core.Storage;
using Kefu.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Adapters.Tests;

/// <summary>The store specification against a real PostgreSQL, on a fresh database per test.</summary>
[Collection(PostgresTests.Name)]
public sealed partial class PostgresStoreSpecificationTests(PostgresFixture postgres) : StoreSpecification
{
    private string? _connectionString;

    protected override async Task CreateDatabaseAsync() => _connectionString = await postgres.CreateDatabaseAsync();

    protected override StoreUnderTest OpenStore(IStoreObserver observer, TimeProvider timeProvider)
    {
        var store = new PostgresStore(
            new PostgresStoreOptions { ConnectionString = _connectionString! },
            timeProvider,
            observer,
            NullLogger<PostgresStore>.Instance);
        return new StoreUnderTest(store, store, store.Uploads, store);
    }

    protected override async ValueTask DropDatabaseAsync()
    {
        if (_connectionString is not null)
        {
            await postgres.DropDatabaseAsync(_connectionString);
        }
    }
}
