namespace Kefu.Storage.Postgres.Writing;

/// <summary>Stores a setting unless one exists, and returns the stored value (first writer wins, on every node).</summary>
internal sealed class SettingOp(string key, string valueIfAbsent, CancellationToken cancellationToken) : WriteOp<string>(cancellationToken)
{
    private const string Insert = "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING;";
    private const string Select = "SELECT value FROM settings WHERE key = $1;";

    public override bool NeedsSavepoint => true;

    public override async Task ExecuteAsync(WriterSession session)
    {
        await session.ExecuteAsync(Insert, key, valueIfAbsent);
        SetResult((string)(await session.ScalarAsync(Select, key))!);
    }
}
