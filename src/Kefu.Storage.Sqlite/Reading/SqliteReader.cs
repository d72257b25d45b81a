using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite.Reading;

/// <summary>
/// Runs queries on pooled connections. In WAL mode readers see the last commit and never wait for the
/// writer, so reads take no part in the write queue. At most <see cref="SqliteStoreOptions.MaxConcurrentReads"/>
/// run at once.
/// </summary>
internal sealed class SqliteReader(SqliteConnections connections)
{
    public async Task<List<T>> ListAsync<T>(
        string sql,
        Action<SqliteParameterCollection> bind,
        Func<SqliteDataReader, T> map,
        CancellationToken cancellationToken)
    {
        await connections.Readers.WaitAsync(cancellationToken);
        using var turn = new ReadTurn(connections.Readers);
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
        await connections.Readers.WaitAsync(cancellationToken);
        using var turn = new ReadTurn(connections.Readers);
        await using var connection = connections.OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
    }

    public async Task<object?> ScalarAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        await connections.Readers.WaitAsync(cancellationToken);
        using var turn = new ReadTurn(connections.Readers);
        await using var connection = connections.OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command.Parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Gives the read's turn back when the read is done, whatever happened.</summary>
    private readonly struct ReadTurn(SemaphoreSlim readers) : IDisposable
    {
        public void Dispose() => readers.Release();
    }
}
