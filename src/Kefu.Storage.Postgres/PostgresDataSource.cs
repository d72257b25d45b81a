using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>Builds the data source every connection of the store comes from, with the settings the store relies on.</summary>
internal static class PostgresDataSource
{
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // The writer and the readers repeat a few statements: let Npgsql prepare them.
            MaxAutoPrepare = Math.Max(new NpgsqlConnectionStringBuilder(connectionString).MaxAutoPrepare, 64),
            AutoPrepareMinUsages = 2,
        };
        // An ack means durable: never let a server or role default of synchronous_commit=off weaken a commit.
        builder.Options = string.IsNullOrWhiteSpace(builder.Options)
            ? "-c synchronous_commit=on"
            : builder.Options + " -c synchronous_commit=on";
        return NpgsqlDataSource.Create(builder);
    }
}
