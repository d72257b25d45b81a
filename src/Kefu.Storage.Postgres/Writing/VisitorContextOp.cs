namespace Kefu.Storage.Postgres.Writing;

/// <summary>Replaces a visitor's context (the page it is on, its locale…).</summary>
internal sealed class VisitorContextOp(string visitorId, string? contextJson, CancellationToken cancellationToken) : WriteOp<bool>(cancellationToken)
{
    private const string Update = "UPDATE visitors SET context = $2 WHERE id = $1;";

    public override bool NeedsSavepoint => true;

    public override async Task ExecuteAsync(WriterSession session) => SetResult(await session.ExecuteAsync(Update, visitorId, contextJson) == 1);
}
