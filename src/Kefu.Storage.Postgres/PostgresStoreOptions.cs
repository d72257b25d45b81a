namespace Kefu.Storage.Postgres;

/// <summary>Where the PostgreSQL database is and how this node's writer batches.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>A standard Npgsql connection string (<c>Host=…;Database=…;Username=…</c>).</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Most write operations committed in one transaction (group commit).</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>Write operations that may wait for the writer before callers are slowed down.</summary>
    public int MaxQueuedWrites { get; set; } = 16_384;
}
