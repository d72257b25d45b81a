using Kefu.Core.Storage;
using Npgsql;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// One batch's transaction and what it knows of the conversations it locked. Statements use positional
/// parameters <c>$1</c>, <c>$2</c>, … bound from the arguments. A statement in flight is never cancelled:
/// an op's token is checked before it runs.
/// </summary>
internal sealed class WriterSession(NpgsqlConnection connection, NpgsqlTransaction transaction, TimeProvider timeProvider)
{
    private const string LockConversations =
        "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.id = ANY($1) ORDER BY c.id FOR UPDATE;";

    private const string LockOne = "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.id = $1 FOR UPDATE;";

    private const string ReadOne = "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.id = $1;";

    // The subquery hands the keys to the lock function in one order on every node, so batches never deadlock on them.
    private const string LockKeys =
        "SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS t(k) ORDER BY 1) AS keys;";

    private const string StoreSeqs =
        "UPDATE conversations c SET last_seq = v.seq FROM unnest($1::text[], $2::bigint[]) AS v(id, seq) WHERE c.id = v.id;";

    private readonly Dictionary<string, Conversation> _locked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _storedSeq = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Conversation?> _undo = new(StringComparer.Ordinal);

    public DateTimeOffset Now() => Rows.Time(timeProvider.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Locks the batch's conversations in id order (so two nodes' batches never deadlock) and loads them.</summary>
    public async Task LockConversationsAsync(string[] ids)
    {
        if (ids.Length == 0)
        {
            return;
        }
        await using var command = Create(LockConversations, [ids]);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            Loaded(Rows.Conversation(reader));
        }
    }

    public async Task LockKeysAsync(List<string> keys)
    {
        if (keys.Count > 0)
        {
            await ScalarAsync(LockKeys, (object)keys.ToArray());
        }
    }

    /// <summary>A conversation this batch has locked (or created); null when it is not (yet) known.</summary>
    public Conversation? Locked(string conversationId) => _locked.GetValueOrDefault(conversationId);

    /// <summary>The conversation, locked for the rest of the batch; null when there is none.</summary>
    public async Task<Conversation?> GetConversationAsync(string conversationId)
    {
        if (_locked.TryGetValue(conversationId, out var locked))
        {
            return locked;
        }
        // Not locked at the start of the batch: it did not exist then. Rare, so the out-of-order lock is acceptable.
        var conversation = await QuerySingleAsync(LockOne, Rows.Conversation, conversationId);
        if (conversation is not null)
        {
            // A lock taken inside an op's savepoint goes with it if the op fails: forget the row then.
            _undo.TryAdd(conversation.Id, null);
            Loaded(conversation);
        }
        return conversation;
    }

    /// <summary>The conversation as this batch sees it, without locking it.</summary>
    public async Task<Conversation?> ReadConversationAsync(string conversationId)
        => _locked.TryGetValue(conversationId, out var locked) ? locked : await QuerySingleAsync(ReadOne, Rows.Conversation, conversationId);

    /// <summary>Records a conversation this batch created; its row already holds <c>last_seq</c> 0.</summary>
    public void Created(Conversation conversation)
    {
        _storedSeq[conversation.Id] = conversation.LastSeq;
        Remember(conversation);
    }

    /// <summary>Records the state the current op gave a conversation; undone if the op fails.</summary>
    public void Remember(Conversation conversation)
    {
        if (!_undo.ContainsKey(conversation.Id))
        {
            _undo[conversation.Id] = _locked.GetValueOrDefault(conversation.Id);
        }
        _locked[conversation.Id] = conversation;
    }

    public void BeginOp() => _undo.Clear();

    public void UndoOp()
    {
        foreach (var (id, previous) in _undo)
        {
            if (previous is null)
            {
                _locked.Remove(id);
            }
            else
            {
                _locked[id] = previous;
            }
        }
        _undo.Clear();
    }

    public Task SavepointAsync() => ExecuteAsync("SAVEPOINT op;");

    public Task ReleaseAsync() => ExecuteAsync("RELEASE SAVEPOINT op;");

    public Task RollbackToSavepointAsync() => ExecuteAsync("ROLLBACK TO SAVEPOINT op; RELEASE SAVEPOINT op;");

    /// <summary>Writes each conversation's new last seq, once per batch.</summary>
    public async Task StoreSeqsAsync()
    {
        var ids = new List<string>();
        var seqs = new List<long>();
        foreach (var (id, conversation) in _locked)
        {
            if (conversation.LastSeq != _storedSeq.GetValueOrDefault(id))
            {
                ids.Add(id);
                seqs.Add(conversation.LastSeq);
            }
        }
        if (ids.Count > 0)
        {
            await ExecuteAsync(StoreSeqs, ids.ToArray(), seqs.ToArray());
        }
    }

    public Task CommitAsync() => transaction.CommitAsync(CancellationToken.None);

    public async Task<int> ExecuteAsync(string sql, params object?[] args)
    {
        await using var command = Create(sql, args);
        return await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    public async Task<object?> ScalarAsync(string sql, params object?[] args)
    {
        await using var command = Create(sql, args);
        var result = await command.ExecuteScalarAsync(CancellationToken.None);
        return result is DBNull ? null : result;
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
    {
        await using var command = Create(sql, args);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        var rows = new List<T>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    /// <summary>
    /// Runs the statement inside a savepoint, all in one round trip; null when done, else the database's refusal,
    /// after which nothing of the statement is kept and the transaction goes on.
    /// </summary>
    public async Task<PostgresException?> TryExecuteInSavepointAsync(string sql, params object?[] args)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT attempt"));
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
        {
            statement.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        }
        batch.BatchCommands.Add(statement);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT attempt"));
        try
        {
            await batch.ExecuteNonQueryAsync(CancellationToken.None);
            return null;
        }
        catch (PostgresException refusal)
        {
            await ExecuteAsync("ROLLBACK TO SAVEPOINT attempt; RELEASE SAVEPOINT attempt;");
            return refusal;
        }
    }

    public async Task<T?> QuerySingleAsync<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
        where T : class
    {
        await using var command = Create(sql, args);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        return await reader.ReadAsync(CancellationToken.None) ? map(reader) : null;
    }

    private void Loaded(Conversation conversation)
    {
        _storedSeq[conversation.Id] = conversation.LastSeq;
        _locked[conversation.Id] = conversation;
    }

    private NpgsqlCommand Create(string sql, object?[] args)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        }
        return command;
    }
}
