using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// Copies the write-ahead log back into the database file on a thread of its own. SQLite's automatic checkpoint
/// runs inside the commit that crosses its threshold, so one commit in a few dozen also wrote a thousand pages
/// and fsynced the database file while every send of its batch waited. Here the writer only signals that it
/// committed; a passive checkpoint (which never blocks the writer or readers) follows a moment later. Nothing
/// about durability changes: a commit is durable in the log before it is acknowledged either way.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    private readonly SqliteConnections _connections;
    private readonly TimeSpan _delay;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _committed = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private int _signalled;
    private int _disposed;

    public SqliteCheckpointer(SqliteConnections connections, TimeSpan delay, ILogger logger)
    {
        _connections = connections;
        _delay = delay;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "Kefu SQLite checkpoint" };
        _thread.Start();
    }

    /// <summary>Called by the writer after each commit: one atomic operation, and a wake-up at most once per checkpoint.</summary>
    public void Committed()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _committed.Release();
        }
    }

    /// <summary>Stops the thread; a second call (the store disposed twice) does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping.Cancel();
        _thread.Join();
        _stopping.Dispose();
        _committed.Dispose();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        var token = _stopping.Token;
        try
        {
            while (true)
            {
                _committed.Wait(token);
                // Let a burst of commits gather, so one checkpoint copies each rewritten page once.
                if (token.WaitHandle.WaitOne(_delay))
                {
                    return;
                }
                Volatile.Write(ref _signalled, 0);
                try
                {
                    connection ??= _connections.OpenWrite();
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    command.ExecuteNonQuery();
                }
                catch (SqliteException exception)
                {
                    // The next commit signals again; the writer's own fallback threshold bounds the log meanwhile.
                    _logger.CheckpointFailed(exception);
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }
}
