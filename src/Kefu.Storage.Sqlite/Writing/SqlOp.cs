namespace Kefu.Storage.Sqlite.Writing;

/// <summary>A small write (admin data such as FAQ entries) that needs no op type of its own.</summary>
internal sealed class SqlOp<T>(Func<WriterSession, T> work, CancellationToken cancellationToken) : WriteOp<T>(cancellationToken)
{
    public override bool NeedsSavepoint => true;

    public override void Execute(WriterSession session) => SetResult(work(session));
}
