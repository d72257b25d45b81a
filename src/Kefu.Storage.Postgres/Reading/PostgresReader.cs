using Npgsql;

namespace Kefu.Storage.Postgres.Reading;

/// <summary>
/// Runs queries on pooled connections of the data source. Statements use positional parameters
/// <c>$1</c>, <c>$2</c>, … bound from the arguments; reads see the last commit of every node.
/// </summary>
internal sealed class PostgresReader(NpgsqlDataSource dataSource)
{
    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object?[] args)
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

    public async Task<T?> SingleAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object?[] args)
        where T : class
    {
        await using var command = Create(sql, args);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params object?[] args)
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

    private NpgsqlCommand Create(string sql, object?[] args)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        }
        return command;
    }
}
