using Kefu.Core.Leases;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kefu.Storage.Postgres.Leases;

/// <summary>
/// Job leases as PostgreSQL session advisory locks (<c>pg_try_advisory_lock</c>) on one connection of this
/// node kept for nothing else. The database is the store every node already trusts, so no second system
/// decides who runs a job. A lock lives as long as the session: when the node dies its socket closes and
/// PostgreSQL frees the lock at once, so another node takes the job on its next run. Before each run the
/// holder checks that its session is still alive; if not, it has lost every lease and asks again on a new
/// connection. A node cut off from the database without its socket closing keeps its leases until the
/// server's TCP keepalive ends the session: the job then pauses rather than running twice.
/// </summary>
public sealed partial class PostgresJobLease : IJobLease, IAsyncDisposable
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);
    private readonly string _connectionString;
    private readonly ILogger<PostgresJobLease> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private NpgsqlConnection? _connection;

    public PostgresJobLease(string connectionString, ILogger<PostgresJobLease> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);
        // Its own physical connection, never returned to a pool where another session could inherit the locks.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 10 }.ToString();
        _logger = logger;
    }

    public async Task<bool> HoldAsync(string job, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CheckTimeout);
            try
            {
                if (_connection is null)
                {
                    _connection = new NpgsqlConnection(_connectionString);
                    await _connection.OpenAsync(timeout.Token);
                }
                if (_held.Contains(job))
                {
                    // Held already: the lease is ours as long as the session answers.
                    await using var check = new NpgsqlCommand("SELECT 1;", _connection);
                    await check.ExecuteScalarAsync(timeout.Token);
                    return true;
                }
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0));", _connection);
                command.Parameters.Add(new NpgsqlParameter { Value = "kefu-job:" + job });
                var holds = (bool)(await command.ExecuteScalarAsync(timeout.Token))!;
                if (holds)
                {
                    _held.Add(job);
                    LogTaken(_logger, job);
                }
                return holds;
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                // The session is gone or stuck: whatever it held is no longer ours.
                LogLost(_logger, ex, _held.Count);
                _held.Clear();
                await DropConnectionAsync();
                return false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the session, which frees every lease at once for the other nodes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await DropConnectionAsync();
        }
        finally
        {
            _gate.Release();
        }
        _gate.Dispose();
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    [LoggerMessage(EventId = 3220, Level = LogLevel.Information, Message = "This node now runs the job {Job}")]
    private static partial void LogTaken(ILogger logger, string job);

    [LoggerMessage(EventId = 3221, Level = LogLevel.Warning, Message = "The job lease session ended; {Count} jobs pause here until a lease is taken again")]
    private static partial void LogLost(ILogger logger, Exception exception, int count);
}
