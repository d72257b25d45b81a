using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kefu.Storage.Postgres.Migrations;

/// <summary>
/// Applies the numbered scripts embedded in this assembly (<c>0001_*.sql</c>, …) in one transaction that
/// first takes a transaction-scoped advisory lock, so several nodes migrating at once take turns and apply
/// every script exactly once (PostgreSQL's DDL is transactional: a failed script leaves nothing behind).
/// </summary>
internal sealed class PostgresMigrator(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger logger)
{
    private const string ResourcePrefix = "Kefu.Storage.Postgres.Migrations.";

    /// <summary>An arbitrary constant shared by every node: "kefu" in ASCII, then the schema lock's number.</summary>
    private const long MigrationLockKey = 0x6B65_6675_0000_0001;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1);", cancellationToken, MigrationLockKey);
        await ExecuteAsync(
            connection,
            transaction,
            "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, applied_at bigint NOT NULL);",
            cancellationToken);
        var applied = new HashSet<int>();
        await using (var select = new NpgsqlCommand("SELECT version FROM schema_version;", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }
        var done = new List<(int, string)>();
        foreach (var (version, name, script) in LoadScripts())
        {
            if (applied.Contains(version))
            {
                continue;
            }
            await ExecuteAsync(connection, transaction, script, cancellationToken);
            await ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2);",
                cancellationToken,
                version,
                timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            done.Add((version, name));
        }
        await transaction.CommitAsync(cancellationToken);
        foreach (var (version, name) in done)
        {
            logger.MigrationApplied(version, name);
        }
    }

    internal static IReadOnlyList<(int Version, string Name, string Script)> LoadScripts()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
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
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Item1 == scripts[i - 1].Item1)
            {
                // The second script of a version would never run: refuse to start instead.
                throw new InvalidOperationException($"Two migrations share version {scripts[i].Item1}: {scripts[i - 1].Item2} and {scripts[i].Item2}.");
            }
        }
        return scripts;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
