namespace Kefu.Storage.Postgres.Writing;

/// <summary>A write op whose caller awaits a <typeparamref name="T"/>.</summary>
internal abstract class WriteOp<T>(CancellationToken cancellationToken) : WriteOp(cancellationToken)
{
    // Continuations must not run on the writer's loop: they would delay the next batch.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _completion.Task;

    public override void Complete() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);

    protected void SetResult(T result) => _result = result;
}
