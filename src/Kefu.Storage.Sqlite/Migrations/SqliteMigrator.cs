using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kefu.Storage.Sqlite.Migrations;

/// <summary>
/// Applies the numbered scripts embedded in this assembly (<c>0001_*.sql</c>, <c>0002_*.sql</c>, …), each in
/// its own <c>BEGIN IMMEDIATE</c> transaction that re-checks <c>schema_version</c> first, so several
/// processes migrating at once apply every script exactly once.
/// </summary>
internal sealed class SqliteMigrator(SqliteConnections connections, TimeProvider timeProvider, ILogger logger)
{
    private const string ResourcePrefix = "Kefu.Storage.Sqlite.Migrations.";

    public Task MigrateAsync(CancellationToken cancellationToken)
    {
        // Microsoft.Data.Sqlite is synchronous underneath; keep the blocking work off the caller's thread.
        return Task.Run(() => Migrate(cancellationToken), cancellationToken);
    }

    private void Migrate(CancellationToken cancellationToken)
    {
        connections.EnsureFolder();
        using var connection = connections.OpenWrite();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);");
        foreach (var (version, name, script) in LoadScripts())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Apply(connection, version, name, script);
        }
    }

    private void Apply(SqliteConnection connection, int version, string name, string script)
    {
        Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "SELECT COUNT(*) FROM schema_version WHERE version = $v;";
                check.Parameters.AddWithValue("$v", version);
                if (Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                {
                    Execute(connection, "ROLLBACK;");
                    return;
                }
            }
            Execute(connection, script);
            using (var record = connection.CreateCommand())
            {
                record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($v, $t);";
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$t", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }
            Execute(connection, "COMMIT;");
            logger.MigrationApplied(version, name);
        }
        catch
        {
            TryRollback(connection);
            throw;
        }
    }

    internal static IReadOnlyList<(int Version, string Name, string Script)> LoadScripts()
    {
        var assembly = typeof(SqliteMigrator).Assembly;
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }
            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Missing migration resource {resource}.");
            using var reader = new StreamReader(stream);
            scripts.Add((version, name, reader.ReadToEnd()));
        }
        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return scripts;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void TryRollback(SqliteConnection connection)
    {
        try
        {
            Execute(connection, "ROLLBACK;");
        }
        catch (SqliteException)
        {
            // No transaction left to roll back.
        }
    }
}
