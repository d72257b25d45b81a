using Kefu.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// Runs one batch's ops inside the writer's transaction and settles each of them after the commit. An op
/// that throws fails alone (its savepoint, or its single statement, is rolled back); an error that ends
/// the transaction fails the whole batch.
/// </summary>
internal sealed class BatchRunner(List<WriteOp> ops, ILogger logger) : IThreadPoolWorkItem
{
    private readonly Exception?[] _failures = new Exception?[ops.Count];
    private readonly bool[] _cancelled = new bool[ops.Count];

    public int Count => ops.Count;

    /// <summary>Runs every op; false when the transaction was lost, and then every op has been failed.</summary>
    public bool ExecuteAll(WriterSession session)
    {
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            if (op.CancellationToken.IsCancellationRequested)
            {
                _cancelled[i] = true;
                continue;
            }
            try
            {
                if (op.NeedsSavepoint)
                {
                    session.Savepoint();
                }
                op.Execute(session);
                if (op.NeedsSavepoint)
                {
                    session.Release();
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                op.DiscardChanges();
                _failures[i] = exception;
                // The op may have taught the cache something its rollback undid.
                session.ForgetCache();
                logger.OpFailed(exception, op.GetType().Name);
                if (!RecoverFrom(session, op, exception))
                {
                    return false;
                }
            }
        }
        return true;
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
    /// Completes, fails or cancels the ops in queue order on one thread-pool thread: the writer hands over one
    /// work item per batch rather than one per op, and never runs a caller's continuation itself.
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

    private bool RecoverFrom(WriterSession session, WriteOp op, Exception exception)
    {
        try
        {
            if (!session.InTransaction)
            {
                // SQLite rolled the whole transaction back (disk full, I/O error): the earlier ops are gone too.
                FailAll(exception);
                return false;
            }
            if (op.NeedsSavepoint)
            {
                session.RollbackToSavepoint();
            }
            return true;
        }
        catch (Exception rollback) when (rollback is not OutOfMemoryException)
        {
            FailAll(rollback);
            return false;
        }
    }
}
