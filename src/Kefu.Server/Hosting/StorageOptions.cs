namespace Kefu.Server.Hosting;

/// <summary>Where data lives (<c>Kefu:DataDir</c>) and which store and bus adapters serve this node.</summary>
internal sealed class StorageOptions
{
    public string DataDir { get; set; } = "data";
    public string Store { get; set; } = "sqlite";
    public string Bus { get; set; } = "inprocess";
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>From <c>ConnectionStrings:Postgres</c> (bound separately: it is not under <c>Kefu</c>).</summary>
    public string? PostgresConnectionString { get; set; }

    public bool UsesPostgres => string.Equals(Store, "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>From <c>ConnectionStrings:Redis</c> (bound separately: it is not under <c>Kefu</c>).</summary>
    public string? RedisConnectionString { get; set; }
}
