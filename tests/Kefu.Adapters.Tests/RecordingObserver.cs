using Kefu.Core.Storage;

namespace Kefu.Adapters.Tests;

/// <summary>
/// Records committed changes in the order the store reports them. It can hold the store's commit path on
/// the next change, so the writes queued meanwhile are committed together in the next batch.
/// </summary>
public sealed class RecordingObserver : IStoreObserver, IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<StoreChange> _changes = [];
    private readonly ManualResetEventSlim _release = new(initialState: true);
    private TaskCompletionSource? _held;

    public IReadOnlyList<StoreChange> Changes
    {
        get
        {
            lock (_gate)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>Arms a hold: the next change blocks the commit path until <see cref="Release"/>. The task completes when it blocks.</summary>
    public Task HoldNext()
    {
        lock (_gate)
        {
            _release.Reset();
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _held.Task;
        }
    }

    public void Release() => _release.Set();

    public void OnCommitted(StoreChange change)
    {
        TaskCompletionSource? held;
        lock (_gate)
        {
            _changes.Add(change);
            held = _held;
            _held = null;
        }
        if (held is not null)
        {
            held.SetResult();
            _release.Wait(Bounded.Timeout);
        }
    }

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }
}
