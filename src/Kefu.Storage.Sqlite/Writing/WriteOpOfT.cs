namespace Kefu.Storage.Sqlite.Writing;

/// <summary>A write op whose caller awaits a <typeparamref name="T"/>.</summary>
internal abstract class WriteOp<T>(CancellationToken cancellationToken) : WriteOp(cancellationToken)
{
    // Settled on a thread-pool thread, never on the writer's (see BatchRunner.Settle), so the caller's
    // continuation runs right there instead of being queued once more.
    private readonly TaskCompletionSource<T> _completion = new();
    private T? _result;

    public Task<T> Task => _completion.Task;

    public override void Complete() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);

    protected void SetResult(T result) => _result = result;
}
