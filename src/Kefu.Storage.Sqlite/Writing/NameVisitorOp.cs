namespace Kefu.Storage.Sqlite.Writing;

/// <summary>Names an anonymous visitor; a verified identity keeps the name it was signed with.</summary>
internal sealed class NameVisitorOp(string visitorId, string name, CancellationToken cancellationToken) : WriteOp<bool>(cancellationToken)
{
    private const string Update = "UPDATE visitors SET name = CASE WHEN external_id IS NULL THEN $2 ELSE name END WHERE id = $1;";

    public override bool NeedsSavepoint => false;

    public override void Execute(WriterSession session) => SetResult(session.Execute(Update, visitorId, name) == 1);
}
