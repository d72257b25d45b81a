namespace Kefu.Storage.Sqlite.Writing;

/// <summary>Stores a setting, replacing any value (last writer wins).</summary>
internal sealed class SetSettingOp(string key, string value, CancellationToken cancellationToken) : WriteOp<bool>(cancellationToken)
{
    private const string Upsert = "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value;";

    public override bool NeedsSavepoint => false;

    public override void Execute(WriterSession session) => SetResult(session.Execute(Upsert, key, value) == 1);
}
