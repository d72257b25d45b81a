using System.IO.Pipelines;
using System.Net;
using Kefu.Core.Diagnostics;
using Kefu.Server.Realtime;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting;

/// <summary>
/// Kestrel's socket transport with a bound on the sockets open at once (<see cref="ConnectionCap.AcceptLimit"/>),
/// so that a flood of connections can never use up the process's file descriptors. A socket past the bound is
/// answered <c>503</c> and closed before the next one is accepted, so refused sockets cannot pile up either
/// (Kestrel's own limit closes them later, on the thread pool, and a storm outruns it).
/// </summary>
internal sealed partial class AcceptGate(SocketTransportFactory sockets, IServiceProvider services, ILogger<AcceptGate> logger)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private static readonly ReadOnlyMemory<byte> Refusal =
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

    /// <summary>Connections the kernel may queue before Kefu accepts them.</summary>
    public const int ListenBacklog = 4096;

    private ConnectionCap? _cap;
    private int _open;
    private long _refusedSinceLog;
    private long _lastLogTicks;

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(sp => new AcceptGate(
            new SocketTransportFactory(sp.GetRequiredService<IOptions<SocketTransportOptions>>(), sp.GetRequiredService<ILoggerFactory>()),
            sp,
            sp.GetRequiredService<ILogger<AcceptGate>>()));
        // A reconnect storm (every client of a restarted node at once) overflows Kestrel's queue of 512 pending
        // connections, and each dropped handshake is retried a second or more later; the kernel caps this at
        // net.core.somaxconn. A long queue is safe because refused sockets cannot pile up (docs/benchmarks.md,
        // "The reconnect storm's stragglers").
        services.Configure<SocketTransportOptions>(o => o.Backlog = ListenBacklog);
        // Kestrel takes the transport registered last that can bind the endpoint.
        services.AddSingleton<IConnectionListenerFactory>(sp => sp.GetRequiredService<AcceptGate>());
    }

    public bool CanBind(EndPoint endpoint) => sockets.CanBind(endpoint);

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        // The cap counts the descriptors open when it is made: made here, once the store and the other services
        // have started, it counts what they hold.
        var cap = _cap ??= services.GetRequiredService<ConnectionCap>();
        LogLimit(logger, cap.AcceptLimit, cap.Value, cap.OpenFileLimit, cap.OpenAtStart);
        return new Listener(await sockets.BindAsync(endpoint, cancellationToken), this);
    }

    private bool TryEnter()
    {
        if (Interlocked.Increment(ref _open) <= _cap!.AcceptLimit)
        {
            return true;
        }
        Interlocked.Decrement(ref _open);
        return false;
    }

    private void Leave() => Interlocked.Decrement(ref _open);

    private async ValueTask RefuseAsync(ConnectionContext connection)
    {
        KefuMetrics.ConnectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", "descriptors"));
        NoteRefusal();
        try
        {
            await connection.Transport.Output.WriteAsync(Refusal);
            await connection.Transport.Output.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or ConnectionAbortedException or InvalidOperationException)
        {
            // The client is gone already; closing is all that is left.
        }
        try
        {
            // Disposing waits until the socket is closed: its descriptor is free before the next accept.
            await connection.DisposeAsync();
        }
#pragma warning disable CA1031 // Whatever closing one refused socket throws, the accept loop must go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCloseFailed(logger, ex);
        }
    }

    private void NoteRefusal()
    {
        Interlocked.Increment(ref _refusedSinceLog);
        var now = Environment.TickCount64;
        var last = Volatile.Read(ref _lastLogTicks);
        if (now - last >= 10_000 && Interlocked.CompareExchange(ref _lastLogTicks, now, last) == last)
        {
            LogRefused(logger, Interlocked.Exchange(ref _refusedSinceLog, 0), _cap!.AcceptLimit);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Accepting at most {AcceptLimit} sockets, {WebSockets} of them WebSockets (open-file limit {OpenFileLimit}, {OpenAtStart} descriptors open at start)")]
    private static partial void LogLimit(ILogger logger, int acceptLimit, int webSockets, long openFileLimit, int openAtStart);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Refused {Count} sockets with 503: {AcceptLimit} open, as many as the open-file limit allows")]
    private static partial void LogRefused(ILogger logger, long count, int acceptLimit);

    [LoggerMessage(EventId = 212, Level = LogLevel.Warning, Message = "Closing a refused socket failed")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);

    private sealed class Listener(IConnectionListener inner, AcceptGate gate) : IConnectionListener
    {
        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                var connection = await inner.AcceptAsync(cancellationToken);
                if (connection is null)
                {
                    return null;
                }
                if (gate.TryEnter())
                {
                    return new CountedConnection(connection, gate);
                }
                await gate.RefuseAsync(connection);
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>The transport's connection, counted until its socket is closed (Kestrel disposes it last).</summary>
    private sealed class CountedConnection(ConnectionContext inner, AcceptGate gate) : ConnectionContext
    {
        private int _left;

        public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }

        public override IFeatureCollection Features => inner.Features;

        public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }

        public override IDuplexPipe Transport { get => inner.Transport; set => inner.Transport = value; }

        public override CancellationToken ConnectionClosed { get => inner.ConnectionClosed; set => inner.ConnectionClosed = value; }

        public override EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }

        public override EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }

        public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync();
            }
            finally
            {
                if (Interlocked.Exchange(ref _left, 1) == 0)
                {
                    gate.Leave();
                }
                await base.DisposeAsync();
            }
        }
    }
}
