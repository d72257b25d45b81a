using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// One queued write. The writer runs <see cref="Execute"/> inside the batch transaction, and only after the
/// commit publishes the op's changes and completes it, so nothing is acknowledged before it is durable.
/// </summary>
internal abstract class WriteOp(CancellationToken cancellationToken)
{
    private StoreChange? _first;
    private StoreChange? _second;

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>True when the op writes more than one statement and so needs a savepoint to fail alone.</summary>
    public abstract bool NeedsSavepoint { get; }

    /// <summary>Runs the op's statements; throws to fail this op only.</summary>
    public abstract void Execute(WriterSession session);

    /// <summary>Completes the caller's task with the result; called after the commit.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);

    public abstract void Cancel();

    /// <summary>Hands the op's changes, in the order they happened, to the observer.</summary>
    public int Publish(Action<StoreChange> publish)
    {
        if (_first is null)
        {
            return 0;
        }
        publish(_first);
        if (_second is null)
        {
            return 1;
        }
        publish(_second);
        return 2;
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
