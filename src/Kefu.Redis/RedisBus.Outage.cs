using Kefu.Core.Diagnostics;
using StackExchange.Redis;

namespace Kefu.Redis;

/// <summary>
/// Outage handling: the first dropped event or connection failure starts an outage (logged once); a probe
/// loop then publishes probes until this node receives its own, which proves that publishing and this
/// node's subscription both work again (StackExchange.Redis reconnects and re-subscribes by itself). Only
/// then is <see cref="Reconnected"/> raised, so the lastSeq that nodes send afterwards covers every gap.
/// </summary>
public sealed partial class RedisBus
{
    private readonly Guid _busId = Guid.NewGuid();
    private readonly Lock _probeGate = new();
    private Task _recovering = Task.CompletedTask;
    private int _inOutage;
    private long _dropped;
    private long _probeNonce;
    private TaskCompletionSource? _probeSeen;

    public event EventHandler? Reconnected;

    public bool IsConnected => Volatile.Read(ref _inOutage) == 0;

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
        => EnterOutage(e.FailureType.ToString());

    private void Dropped(string reason)
    {
        Interlocked.Increment(ref _dropped);
        EnterOutage(reason);
    }

    private void EnterOutage(string reason)
    {
        if (Interlocked.Exchange(ref _inOutage, 1) != 0 || _stopping.IsCancellationRequested)
        {
            return;
        }
        _logger.BusOutage(reason);
        _recovering = Task.Run(() => RecoverAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.ProbeInterval, _time, cancellationToken);
                if (_redis.IsConnected && await ProbeAsync(cancellationToken))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        // Cleared before counting, so a drop racing with recovery starts a new outage rather than vanishing.
        Volatile.Write(ref _inOutage, 0);
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        _logger.BusResumed(dropped);
        KefuMetrics.BusReconnects.Add(1);
        try
        {
            Reconnected?.Invoke(this, EventArgs.Empty);
        }
#pragma warning disable CA1031 // A failing listener must not stop the bus.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _logger.ReconnectedHandlerFailed(exception);
        }
    }

    private async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long nonce;
        lock (_probeGate)
        {
            nonce = ++_probeNonce;
            _probeSeen = seen;
        }
        try
        {
            await _subscriber.PublishAsync(_channel, BusEnvelope.EncodeProbe(_busId, nonce)).WaitAsync(_options.ProbeInterval, _time, cancellationToken);
            await seen.Task.WaitAsync(_options.ProbeInterval, _time, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return false;
        }
    }

    private void ProbeReceived(Guid busId, long nonce)
    {
        if (busId != _busId)
        {
            return;
        }
        lock (_probeGate)
        {
            if (nonce == _probeNonce)
            {
                _probeSeen?.TrySetResult();
            }
        }
    }
}
