using Npgsql;

namespace Kefu.Storage.Postgres.Reading;

/// <summary>
/// Runs queries on pooled connections of the data source. Statements use positional parameters
/// <c>$1</c>, <c>$2</c>, … bound from the arguments; reads see the last commit of every node.
/// After the database restarts every idle pooled session is dead, and each would fail one request: the
/// first read that meets a dead session empties the pool and runs once more on a fresh session.
/// </summary>
internal sealed class PostgresReader(NpgsqlDataSource dataSource)
{
    public Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object?[] args)
        => RetryOnDeadSessionAsync(() => ListOnceAsync(sql, map, args, cancellationToken));

    public Task<T?> SingleAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object?[] args)
        where T : class
        => RetryOnDeadSessionAsync(() => SingleOnceAsync(sql, map, args, cancellationToken));

    public Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params object?[] args)
        => RetryOnDeadSessionAsync(() => ScalarOnceAsync(sql, args, cancellationToken));

    private async Task<List<T>> ListOnceAsync<T>(string sql, Func<NpgsqlDataReader, T> map, object?[] args, CancellationToken cancellationToken)
    {
        await using var command = Create(sql, args);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(map(reader));
        }
        return items;
    }

    private async Task<T?> SingleOnceAsync<T>(string sql, Func<NpgsqlDataReader, T> map, object?[] args, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = Create(sql, args);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
    }

    private async Task<object?> ScalarOnceAsync(string sql, object?[] args, CancellationToken cancellationToken)
    {
        await using var command = Create(sql, args);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is DBNull ? null : result;
    }

    /// <summary>Runs one statement in a transaction of its own (writes that need no ordering with the writer's batches).</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] args)
    {
        await using var command = Create(sql, args);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on one connection in one transaction, committed when it returns.</summary>
    public async Task<T> InTransactionAsync<T>(Func<Func<string, object?[], NpgsqlCommand>, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work((sql, args) => Bind(new NpgsqlCommand(sql, connection, transaction), args));
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Reads change nothing, so one more try after a dead session is always safe.</summary>
    private async Task<T> RetryOnDeadSessionAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (NpgsqlException exception) when (IsDeadSession(exception))
        {
            dataSource.Clear();
            return await read();
        }
    }

    /// <summary>The server ended the session (shutdown, crash restart) or its socket broke.</summary>
    private static bool IsDeadSession(NpgsqlException exception) =>
        exception is PostgresException postgres
            ? postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            : exception.InnerException is IOException or System.Net.Sockets.SocketException;

    private NpgsqlCommand Create(string sql, object?[] args) => Bind(dataSource.CreateCommand(sql), args);

    private static NpgsqlCommand Bind(NpgsqlCommand command, object?[] args)
    {
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        }
        return command;
    }
}
