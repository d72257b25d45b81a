using Npgsql;

namespace Kefu.Adapters.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL for the Postgres test classes: the one named by <c>KEFU_TEST_POSTGRES</c> (an Npgsql
/// connection string of a user that may create databases), else a fresh local cluster (see
/// <see cref="PostgresServer"/>). Each test gets a database of its own. Without PostgreSQL the tests skip
/// with the reason, except under <c>CI=true</c>, where they fail.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private string? _adminConnectionString;
    private string? _unavailable;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("KEFU_TEST_POSTGRES") is { Length: > 0 } external)
        {
            _adminConnectionString = external;
            return;
        }
        var binaries = PostgresServer.FindBinaries();
        if (binaries is null)
        {
            _unavailable = "PostgreSQL's initdb and pg_ctl are not on PATH (nor in /usr/lib/postgresql/*/bin) and KEFU_TEST_POSTGRES is not set.";
            return;
        }
        try
        {
            _server = await PostgresServer.StartAsync(binaries);
            _adminConnectionString = _server.ConnectionString;
        }
        catch (InvalidOperationException exception)
        {
            _unavailable = "Starting a local PostgreSQL failed: " + exception.Message;
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it; skips (under CI fails) without PostgreSQL.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var admin = RequireAdmin();
        var name = "kefu_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(admin, $"CREATE DATABASE {name};");
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ToString();
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await ExecuteAsync(RequireAdmin(), $"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private string RequireAdmin()
    {
        if (_adminConnectionString is { } admin)
        {
            return admin;
        }
        var reason = _unavailable ?? "PostgreSQL was not started.";
        if (IsCi)
        {
            Assert.Fail($"{reason} CI=true requires PostgreSQL: install it (apt-get install postgresql) or set KEFU_TEST_POSTGRES.");
        }
        Skip.If(true, $"{reason} Install PostgreSQL (apt-get install postgresql) or set KEFU_TEST_POSTGRES to a connection string.");
        return null!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
