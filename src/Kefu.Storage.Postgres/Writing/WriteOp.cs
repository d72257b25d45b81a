using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// One queued write. The writer runs <see cref="ExecuteAsync"/> inside the batch transaction, and only after
/// the commit publishes the op's changes and completes it, so nothing is acknowledged before it is durable.
/// </summary>
internal abstract class WriteOp(CancellationToken cancellationToken)
{
    private StoreChange? _first;
    private StoreChange? _second;

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>
    /// False only for an op whose statements cannot fail on the database's side: in PostgreSQL any failed
    /// statement aborts the transaction, so every other op runs inside its own savepoint.
    /// </summary>
    public abstract bool NeedsSavepoint { get; }

    /// <summary>The existing conversation the op changes; the writer locks it, with the batch's others, in id order.</summary>
    public virtual string? ConversationToLock => null;

    /// <summary>Names of the advisory locks the op needs (agents' capacity, a visitor's open conversation…), taken after the row locks.</summary>
    public virtual void AddLockKeys(List<string> keys, WriterSession session)
    {
    }

    /// <summary>Runs the op's statements; throws to fail this op only.</summary>
    public abstract Task ExecuteAsync(WriterSession session);

    /// <summary>Completes the caller's task with the result; called after the commit.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);

    public abstract void Cancel();

    /// <summary>Hands the op's changes, in the order they happened, to the observer.</summary>
    public void Publish(Action<StoreChange> publish)
    {
        if (_first is not null)
        {
            publish(_first);
        }
        if (_second is not null)
        {
            publish(_second);
        }
    }

    /// <summary>Forgets changes recorded by an execution that was rolled back.</summary>
    public void DiscardChanges()
    {
        _first = null;
        _second = null;
    }

    protected void Emit(StoreChange change)
    {
        if (_first is null)
        {
            _first = change;
        }
        else if (_second is null)
        {
            _second = change;
        }
        else
        {
            throw new InvalidOperationException("A write op emits at most two changes.");
        }
    }
}
