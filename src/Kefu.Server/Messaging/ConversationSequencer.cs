using Kefu.Core.Messaging;

namespace Kefu.Server.Messaging;

/// <summary>
/// Puts the messages of each conversation back in seq order when they come from several nodes. Each node
/// publishes in its own commit order, but two nodes writing to one conversation (the visitor's and the
/// agent's) publish on separate connections, so seq 81 can arrive before seq 80. A message that is ahead
/// waits here until the ones before it arrive, for at most <c>wait</c>; then whatever waits goes out in
/// order and the client heals the gap from the store (its <c>sync</c>). A message arriving after its
/// successors went out is dropped for the same reason: clients never see a conversation's seq go back.
/// Frames without a seq (snapshots, receipts, typing) pass straight through.
/// </summary>
internal sealed class ConversationSequencer : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);
    private readonly Action<BusEvent> _deliver;
    private readonly TimeProvider _time;
    private readonly TimeSpan _wait;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Stream> _streams = new(StringComparer.Ordinal);
    private readonly ITimer _timer;

    public ConversationSequencer(Action<BusEvent> deliver, TimeProvider time, TimeSpan wait)
    {
        _deliver = deliver;
        _time = time;
        _wait = wait;
        var period = wait / 2;
        _timer = time.CreateTimer(_ => Tick(), null, period, period);
    }

    public void Accept(BusEvent busEvent)
    {
        ArgumentNullException.ThrowIfNull(busEvent);
        if (busEvent.ConversationId is not { } id || busEvent.Seq <= 0)
        {
            _deliver(busEvent);
            return;
        }
        var now = _time.GetTimestamp();
        // Delivery happens under the lock, so a tick and the receive loop never interleave one conversation's frames.
        lock (_gate)
        {
            if (!_streams.TryGetValue(id, out var stream))
            {
                _streams[id] = stream = new Stream { Next = busEvent.Seq };
            }
            stream.LastUsed = now;
            if (busEvent.Seq < stream.Next)
            {
                return;
            }
            if (busEvent.Seq > stream.Next)
            {
                if (stream.Waiting.Count == 0)
                {
                    stream.WaitingSince = now;
                }
                stream.Waiting[busEvent.Seq] = busEvent;
                return;
            }
            _deliver(busEvent);
            stream.Next++;
            while (stream.Waiting.Remove(stream.Next, out var next))
            {
                _deliver(next);
                stream.Next++;
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            List<string>? idle = null;
            foreach (var (id, stream) in _streams)
            {
                if (stream.Waiting.Count > 0 && _time.GetElapsedTime(stream.WaitingSince, now) >= _wait)
                {
                    foreach (var (seq, waiting) in stream.Waiting)
                    {
                        _deliver(waiting);
                        stream.Next = seq + 1;
                    }
                    stream.Waiting.Clear();
                }
                else if (stream.Waiting.Count == 0 && _time.GetElapsedTime(stream.LastUsed, now) >= Idle)
                {
                    (idle ??= []).Add(id);
                }
            }
            foreach (var id in idle ?? [])
            {
                _streams.Remove(id);
            }
        }
    }

    private sealed class Stream
    {
        public long Next { get; set; }

        public long LastUsed { get; set; }

        public long WaitingSince { get; set; }

        public SortedDictionary<long, BusEvent> Waiting { get; } = [];
    }
}
