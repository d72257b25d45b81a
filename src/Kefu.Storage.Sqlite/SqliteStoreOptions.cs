namespace Kefu.Storage.Sqlite;

/// <summary>Where the SQLite database lives and how the single writer batches.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Path of the database file; migrating creates its folder. A file is required (not <c>:memory:</c>): readers use their own connections.</summary>
    public string DatabasePath { get; set; } = "data/kefu.db";

    /// <summary>Most write operations committed in one transaction (group commit).</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>Write operations that may wait for the writer before callers are slowed down.</summary>
    public int MaxQueuedWrites { get; set; } = 16_384;

    /// <summary>How long a statement waits for a lock held by another process.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Conversations whose state the writer keeps in memory; beyond this it starts over.</summary>
    public int ConversationCacheSize { get; set; } = 50_000;

    /// <summary>
    /// The writer connection's page cache in KiB. SQLite's default (2 MiB) is smaller than the pages a busy writer
    /// touches (message and client-id indexes), so it kept re-reading pages from the OS with one syscall each.
    /// </summary>
    public int WriterCacheKiB { get; set; } = 32_768;

    /// <summary>
    /// How long after a commit the background checkpoint copies the write-ahead log into the database file
    /// (commits meanwhile join it). Checkpoints then never run inside a commit. Short, because a checkpoint ends
    /// by fsyncing the database file, and a commit whose log fsync meets it waits for those pages to reach the
    /// disk: the fewer pages per checkpoint, the shorter that wait (20 ms instead of 100 ms took the chat's p99
    /// from 28-30 to 19-23 ms; docs/benchmarks.md).
    /// </summary>
    public TimeSpan CheckpointDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Log pages at which a commit checkpoints by itself after all: the bound on the log should the background
    /// checkpoint fall behind or fail (16,384 pages of 4 KiB: 64 MiB).
    /// </summary>
    public int CheckpointFallbackPages { get; set; } = 16_384;

    /// <summary>
    /// Each read connection's page cache in KiB. Reads are point lookups and short pages; a miss costs one read from
    /// the operating system's file cache, while SQLite's default (2 MiB) over the whole pool held tens of MiB.
    /// </summary>
    public int ReaderCacheKiB { get; set; } = 256;

    /// <summary>Reads that run at once (each holds a pooled connection: three file descriptors); more wait their turn.</summary>
    public int MaxConcurrentReads { get; set; } = 32;
}
