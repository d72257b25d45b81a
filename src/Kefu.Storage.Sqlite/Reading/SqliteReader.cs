using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite.Reading;

/// <summary>
/// Runs queries on pooled connections. In WAL mode readers see the last commit and never wait for the
/// writer, so reads take no part in the write queue.
/// </summary>
internal sealed class SqliteReader(SqliteConnections connections)
{
    public async Task<List<T>> ListAsync<T>(
        string sql,
        Action<SqliteParameterCollection> bind,
        Func<SqliteDataReader, T> map,
        CancellationToken cancellationToken)
    {
        await using var connection = connections.OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(map(reader));
        }
        return items;
    }

    public async Task<T?> SingleAsync<T>(
        string sql,
        Action<SqliteParameterCollection> bind,
        Func<SqliteDataReader, T> map,
        CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = connections.OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
    }

    public async Task<object?> ScalarAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        await using var connection = connections.OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command.Parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
