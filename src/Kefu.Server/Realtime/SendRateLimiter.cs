namespace Kefu.Server.Realtime;

/// <summary>
/// "N sends per 10 seconds per connection, the Nth admitted": an exact sliding window kept as a ring of the
/// last N send times. Allocated on the first send, so an idle connection pays nothing; for very large N
/// (benchmarks lift the limit) a two-window estimate avoids a large ring.
/// </summary>
internal sealed class SendRateLimiter(int limit)
{
    private const long WindowMs = 10_000;
    private const int MaxExactLimit = 1024;
    private long[]? _ring;
    private int _next;
    private long _windowStart;
    private int _current;
    private int _previous;

    private readonly Lock _gate = new();

    public bool TryAcquire(long nowMs)
    {
        lock (_gate)
        {
            return TryAcquireLocked(nowMs);
        }
    }

    private bool TryAcquireLocked(long nowMs)
    {
        if (limit > MaxExactLimit)
        {
            return TryAcquireEstimated(nowMs);
        }
        _ring ??= CreateRing();
        // The oldest of the last N sends must be at least 10 s old for one more to be admitted.
        if (nowMs - _ring[_next] < WindowMs)
        {
            return false;
        }
        _ring[_next] = nowMs;
        _next = (_next + 1) % _ring.Length;
        return true;
    }

    /// <summary>Gives back the last admitted send (a duplicate does not count against the limit).</summary>
    public void Refund()
    {
        lock (_gate)
        {
            RefundLocked();
        }
    }

    private void RefundLocked()
    {
        if (limit > MaxExactLimit)
        {
            _current = Math.Max(0, _current - 1);
            return;
        }
        if (_ring is null)
        {
            return;
        }
        _next = (_next - 1 + _ring.Length) % _ring.Length;
        _ring[_next] = long.MinValue / 2;
    }

    private long[] CreateRing()
    {
        var ring = new long[limit];
        Array.Fill(ring, long.MinValue / 2);
        return ring;
    }

    private bool TryAcquireEstimated(long nowMs)
    {
        var elapsed = nowMs - _windowStart;
        if (elapsed >= WindowMs)
        {
            _previous = elapsed >= 2 * WindowMs ? 0 : _current;
            _current = 0;
            _windowStart = nowMs - (elapsed % WindowMs);
            elapsed = nowMs - _windowStart;
        }
        var weighted = (_previous * (WindowMs - elapsed) / WindowMs) + _current;
        if (weighted >= limit)
        {
            return false;
        }
        _current++;
        return true;
    }
}
