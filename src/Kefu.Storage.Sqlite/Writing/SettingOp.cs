namespace Kefu.Storage.Sqlite.Writing;

/// <summary>Stores a setting unless one exists, and returns the stored value (first writer wins).</summary>
internal sealed class SettingOp(string key, string valueIfAbsent, CancellationToken cancellationToken) : WriteOp<string>(cancellationToken)
{
    private const string Insert = "INSERT OR IGNORE INTO settings (key, value) VALUES ($1, $2);";
    private const string Select = "SELECT value FROM settings WHERE key = $1;";

    public override bool NeedsSavepoint => false;

    public override void Execute(WriterSession session)
    {
        session.Execute(Insert, key, valueIfAbsent);
        SetResult((string)session.Scalar(Select, key)!);
    }
}
