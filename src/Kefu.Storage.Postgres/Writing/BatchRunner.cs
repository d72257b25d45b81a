using Kefu.Core.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// Runs one batch's ops inside the writer's transaction and settles each of them after the commit. An op
/// that throws fails alone (its savepoint is rolled back); an error that aborts the transaction fails the
/// whole batch.
/// </summary>
internal sealed class BatchRunner(List<WriteOp> ops, ILogger logger) : IThreadPoolWorkItem
{
    private readonly Exception?[] _failures = new Exception?[ops.Count];
    private readonly bool[] _cancelled = new bool[ops.Count];
    private readonly List<int> _appends = [];

    public int Count => ops.Count;

    /// <summary>Takes the batch's locks: conversation rows in id order, then advisory locks in key order.</summary>
    public async Task LockAsync(WriterSession session)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i].CancellationToken.IsCancellationRequested)
            {
                _cancelled[i] = true;
            }
            else if (ops[i].ConversationToLock is { } id)
            {
                ids.Add(id);
            }
        }
        await session.LockConversationsAsync([.. ids]);
        var keys = new List<string>();
        for (var i = 0; i < ops.Count; i++)
        {
            if (!_cancelled[i])
            {
                ops[i].AddLockKeys(keys, session);
            }
        }
        await session.LockKeysAsync(keys);
    }

    /// <summary>
    /// Runs every op in queue order, the appends that follow one another together (<see cref="AppendGroup"/>);
    /// false when the transaction was lost, and then every op has been failed.
    /// </summary>
    public async Task<bool> ExecuteAllAsync(WriterSession session)
    {
        for (var i = 0; i < ops.Count; i++)
        {
            if (_cancelled[i] || ops[i].CancellationToken.IsCancellationRequested)
            {
                _cancelled[i] = true;
            }
            else if (ops[i] is AppendOp { IsStorable: true })
            {
                _appends.Add(i);
            }
            else if (!await ExecuteAppendsAsync(session) || !await ExecuteOneAsync(session, i))
            {
                return false;
            }
        }
        return await ExecuteAppendsAsync(session);
    }

    /// <summary>Runs the waiting appends as one group; if the database refuses it, each alone, so only the one at fault fails.</summary>
    private async Task<bool> ExecuteAppendsAsync(WriterSession session)
    {
        if (_appends.Count == 0)
        {
            return true;
        }
        var indices = _appends.ToArray();
        _appends.Clear();
        if (indices.Length > 1)
        {
            var group = Array.ConvertAll(indices, i => (AppendOp)ops[i]);
            session.BeginOp();
            try
            {
                var refusal = await AppendGroup.TryRunAsync(session, group);
                if (refusal is null)
                {
                    return true;
                }
                logger.AppendGroupRefused(refusal, group.Length);
            }
            catch (NpgsqlException exception)
            {
                // A statement outside the group's savepoint failed: the transaction is lost.
                FailAll(exception);
                return false;
            }
            session.UndoOp();
            foreach (var op in group)
            {
                op.DiscardChanges();
            }
        }
        foreach (var i in indices)
        {
            if (!await ExecuteOneAsync(session, i))
            {
                return false;
            }
        }
        return true;
    }

    private async Task<bool> ExecuteOneAsync(WriterSession session, int i)
    {
        var op = ops[i];
        session.BeginOp();
        try
        {
            if (op.NeedsSavepoint)
            {
                await session.SavepointAsync();
            }
            await op.ExecuteAsync(session);
            if (op.NeedsSavepoint)
            {
                await session.ReleaseAsync();
            }
            return true;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            op.DiscardChanges();
            session.UndoOp();
            _failures[i] = exception;
            logger.OpFailed(exception, op.GetType().Name);
            return await RecoverFromAsync(session, op, exception);
        }
    }

    /// <summary>Fails every op: the ones that failed on their own keep their error, the others are unavailable.</summary>
    public void FailAll(Exception cause)
    {
        for (var i = 0; i < ops.Count; i++)
        {
            _failures[i] ??= new StoreUnavailableException("The store could not commit the write.", cause);
        }
        Settle();
    }

    /// <summary>After the commit: publishes each op's changes in queue order, then settles the ops.</summary>
    public void CompleteAll(Action<StoreChange> publish)
    {
        for (var i = 0; i < ops.Count; i++)
        {
            if (!_cancelled[i] && _failures[i] is null)
            {
                ops[i].Publish(publish);
            }
        }
        Settle();
    }

    /// <summary>
    /// Completes, fails or cancels the ops in queue order on one thread-pool work item: the writer hands over one
    /// item per batch rather than one per op, and never runs a caller's continuation itself.
    /// </summary>
    private void Settle() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    void IThreadPoolWorkItem.Execute()
    {
        for (var i = 0; i < ops.Count; i++)
        {
            if (_cancelled[i])
            {
                ops[i].Cancel();
            }
            else if (_failures[i] is { } failure)
            {
                ops[i].Fail(failure);
            }
            else
            {
                ops[i].Complete();
            }
        }
    }

    private async Task<bool> RecoverFromAsync(WriterSession session, WriteOp op, Exception exception)
    {
        if (!op.NeedsSavepoint)
        {
            if (exception is not NpgsqlException)
            {
                // Failed before sending anything: the transaction is intact.
                return true;
            }
            // A failed statement aborted the transaction: the earlier ops are gone too.
            FailAll(exception);
            return false;
        }
        try
        {
            await session.RollbackToSavepointAsync();
            return true;
        }
        catch (Exception rollback) when (rollback is not OutOfMemoryException)
        {
            FailAll(rollback);
            return false;
        }
    }
}
