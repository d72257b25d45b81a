namespace Kefu.Adapters.Tests.Infrastructure;

/// <summary>The test classes that share one PostgreSQL, started once for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
