using Kefu.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// The writer's connection, its prepared statements and its cache of conversation state. Used by the writer
/// thread only. Statements use positional parameters <c>$1</c>, <c>$2</c>, … bound from the arguments.
/// </summary>
internal sealed class WriterSession(SqliteConnection connection, TimeProvider timeProvider, int cacheSize) : IDisposable
{
    private const string ConversationById = "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.id = $1;";

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RawStatement> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private long _dataVersion = -1;

    public DateTimeOffset Now() => Rows.Time(timeProvider.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Starts the batch transaction, taking the write lock now so reads inside it are never stale.</summary>
    public void Begin()
    {
        Execute("BEGIN IMMEDIATE;");
        // Another process (a second node on the same file, an admin tool) may have written since our last
        // batch; then the cached conversation state may be stale.
        var version = (long)Scalar("PRAGMA data_version;")!;
        if (version != _dataVersion)
        {
            _conversations.Clear();
            _dataVersion = version;
        }
    }

    public void Commit() => Execute("COMMIT;");

    public bool InTransaction => SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0;

    public void TryRollback()
    {
        if (InTransaction)
        {
            Execute("ROLLBACK;");
        }
    }

    public void Savepoint() => Execute("SAVEPOINT op;");

    public void Release() => Execute("RELEASE op;");

    public void RollbackToSavepoint() => Execute("ROLLBACK TO op; RELEASE op;");

    /// <summary>The conversation with its last seq, from the cache or the database; null when there is none.</summary>
    public Conversation? GetConversation(string conversationId)
    {
        if (_conversations.TryGetValue(conversationId, out var cached))
        {
            return cached;
        }
        var conversation = QuerySingle(ConversationById, Rows.Conversation, conversationId);
        if (conversation is not null)
        {
            Remember(conversation);
        }
        return conversation;
    }

    /// <summary>Records the state the current batch gave a conversation. Dropped wholesale when a batch fails.</summary>
    public void Remember(Conversation conversation)
    {
        if (_conversations.Count >= cacheSize && !_conversations.ContainsKey(conversation.Id))
        {
            _conversations.Clear();
        }
        _conversations[conversation.Id] = conversation;
    }

    public void ForgetCache() => _conversations.Clear();

    public int Execute(string sql, params ReadOnlySpan<object?> args) => Bind(sql, args).ExecuteNonQuery();

    public object? Scalar(string sql, params ReadOnlySpan<object?> args)
    {
        var result = Bind(sql, args).ExecuteScalar();
        return result is DBNull ? null : result;
    }

    public T? QuerySingle<T>(string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<object?> args)
        where T : class
    {
        using var reader = Bind(sql, args).ExecuteReader();
        return reader.Read() ? map(reader) : null;
    }

    /// <summary>A statement for the hottest writes, bound by the caller through SQLite's C API (see <see cref="RawStatement"/>).</summary>
    public RawStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new RawStatement(connection, sql);
            _statements.Add(sql, statement);
        }
        return statement;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }
        _statements.Clear();
        _conversations.Clear();
        connection.Dispose();
    }

    private SqliteCommand Bind(string sql, ReadOnlySpan<object?> args)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            // Kept for the connection's life, so SQLite parses each statement once.
            command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < args.Length; i++)
            {
                command.Parameters.Add(new SqliteParameter("$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), null));
            }
            _commands.Add(sql, command);
        }
        var parameters = command.Parameters;
        for (var i = 0; i < args.Length; i++)
        {
            parameters[i].Value = args[i] ?? DBNull.Value;
        }
        return command;
    }
}
