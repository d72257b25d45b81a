using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite;

/// <summary>Opens connections to one database file with the pragmas every connection needs.</summary>
internal sealed class SqliteConnections
{
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly string _databasePath;
    private readonly string _readerPragmas;
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configuredReaders = [];

    public SqliteConnections(SqliteStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath);
        _databasePath = options.DatabasePath;
        Readers = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentReads));
        var timeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, timeout),
        }.ToString();
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -{Math.Max(options.WriterCacheKiB, 64)}; PRAGMA wal_autocheckpoint = {Math.Max(options.CheckpointFallbackPages, 1)};");
        _readerPragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = -{Math.Max(options.ReaderCacheKiB, 16)};");
    }

    /// <summary>Creates the database's folder, so a fresh machine needs no setup step.</summary>
    public void EnsureFolder()
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(_databasePath));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    /// <summary>
    /// Bounds the reads running at once, and so the pooled read connections (three descriptors each: the
    /// database, its WAL and its shared memory). Without it a reconnect storm of thousands of clients grew the
    /// pool until the process ran out of descriptors and Kestrel aborted on accept.
    /// </summary>
    public SemaphoreSlim Readers { get; }

    /// <summary>
    /// A pooled connection for reads; in WAL mode it never waits for the writer. Each new underlying connection gets
    /// a small page cache (<see cref="SqliteStoreOptions.ReaderCacheKiB"/>) once: SQLite's default of 2 MiB per
    /// connection, over a pool of 32, came to 3 KiB per client after a surge of 19,000 hellos.
    /// </summary>
    public SqliteConnection OpenRead()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            if (!_configuredReaders.TryGetValue(connection.Handle!, out _))
            {
                using var command = connection.CreateCommand();
                command.CommandText = _readerPragmas;
                command.ExecuteNonQuery();
                _configuredReaders.AddOrUpdate(connection.Handle!, this);
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A connection for writes: foreign keys on, every commit durable (WAL, synchronous=FULL), and the automatic
    /// checkpoint only as a fallback (<see cref="Writing.SqliteCheckpointer"/> checkpoints on its own thread).
    /// </summary>
    public SqliteConnection OpenWrite()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Closes pooled connections so the file is released (tests delete it, restarts reopen it).</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
