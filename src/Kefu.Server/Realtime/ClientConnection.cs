using System.Net.WebSockets;
using Kefu.Core.Diagnostics;
using Kefu.Server.Auth;

namespace Kefu.Server.Realtime;

/// <summary>
/// One WebSocket client. Holds only what an idle connection needs: the send queue is created when a frame
/// is queued and dropped when it drains, and the drain runs on the thread pool only while there is
/// something to send, so a stuck client never holds up the thread that queued its frames.
/// </summary>
internal sealed class ClientConnection(long id, WebSocket socket, string? origin, string remoteAddress, string? userAgent, QueueBudget budget, TimeProvider time)
    : IThreadPoolWorkItem
{
    private readonly Lock _gate = new();
    private Queue<Outgoing>? _queue;
    private Dictionary<string, List<Outgoing>>? _holds;
    private List<Outgoing>? _beforeWelcome;
    private Dictionary<string, long>? _sentSeq;
    private bool _draining;
    private bool _drainOnCaller;
    private long _queuedBytes;
    private long _lastProgressMs;
    private bool _closing;
    private long _lastReceivedMs = time.GetTimestampMs();
    private int _errorCount;
    private long _errorWindowStartMs = time.GetTimestampMs();

    public long Id { get; } = id;
    public WebSocket Socket { get; } = socket;
    public string? Origin { get; } = origin;
    public string RemoteAddress { get; } = remoteAddress;
    public string? UserAgent { get; } = userAgent;

    /// <summary>The language the upgrade request's <c>Accept-Language</c> prefers; the visitor's locale when its page reports none.</summary>
    public string? AcceptLocale { get; init; }
    public long ConnectedAtMs { get; } = time.GetTimestampMs();
    public string SessionId { get; } = "ws_" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Set once by <c>hello</c>; null before.</summary>
    public Caller? Caller { get; set; }

    public SendRateLimiter? SendLimiter { get; set; }

    /// <summary>A visitor's open conversation, remembered so that sends without an id need no lookup.</summary>
    public string? CurrentConversationId { get; set; }

    /// <summary>Conversations this agent connection watches (rarely more than a few).</summary>
    public List<string>? Watched { get; set; }

    public long LastReceivedMs => Volatile.Read(ref _lastReceivedMs);

    public long CloseRequestedAtMs { get; private set; }

    /// <summary>Read without the lock: the sweeper reads it for every connection, and a close is final.</summary>
    public bool IsClosing => Volatile.Read(ref _closing);

    public void MarkReceived(long nowMs) => Volatile.Write(ref _lastReceivedMs, nowMs);

    /// <summary>Counts a protocol error; true when the connection exceeded its allowance and must close.</summary>
    public bool CountError(long nowMs, int perMinute)
    {
        lock (_gate)
        {
            if (nowMs - _errorWindowStartMs > 60_000)
            {
                _errorWindowStartMs = nowMs;
                _errorCount = 0;
            }
            return ++_errorCount > perMinute;
        }
    }

    /// <summary>Queues a frame; a thread-pool thread sends it. A client whose queue is full is dropped: it reconnects and resumes.</summary>
    public bool Enqueue(in Outgoing frame) => Enqueue(frame, sendHere: false);

    /// <summary>
    /// Queues a reply from the connection's own path (its receive loop, or the completion of its own send): when
    /// nothing is being sent, sending starts on the calling thread, which saves a thread-pool hand-off per reply.
    /// Never for fan-out from the store's commit path, which must not wait for sockets.
    /// </summary>
    public bool Reply(in Outgoing frame) => Enqueue(frame, sendHere: true);

    private bool Enqueue(in Outgoing frame, bool sendHere)
    {
        bool queued;
        var sendNow = false;
        lock (_gate)
        {
            if (_closing)
            {
                return false;
            }
            if (_beforeWelcome is not null)
            {
                _beforeWelcome.Add(frame);
                return true;
            }
            queued = EnqueueOrHoldLocked(frame, sendHere ? DrainStart.Caller : DrainStart.ThreadPool);
            sendNow = queued && _drainOnCaller;
            _drainOnCaller = false;
        }
        if (sendNow)
        {
            _ = DrainAsync();
        }
        return queued;
    }

    /// <summary>
    /// Queues a <c>messages</c> page read forward up to <paramref name="lastSeq"/>: the live copies of those messages
    /// that are still on their way are then dropped, so a client that syncs while messages arrive gets each once.
    /// </summary>
    public void EnqueuePage(in Outgoing page, string conversationId, long lastSeq)
    {
        lock (_gate)
        {
            if (!_closing && EnqueueLocked(page))
            {
                MarkSentLocked(conversationId, lastSeq);
            }
        }
    }

    /// <summary>Queues a replayed frame: it goes out even while live frames of its conversation are held.</summary>
    public void EnqueueReplay(in Outgoing frame)
    {
        lock (_gate)
        {
            if (!_closing)
            {
                EnqueueLocked(frame);
            }
        }
    }

    /// <summary>Sends in flight for this connection (sends are pipelined; past a bound the loop waits).</summary>
    public int InFlight;

    /// <summary>Sends refused by the rate limit in the current window; far past the limit the client is closed.</summary>
    public int RateLimitedCount;

    public long RateLimitedWindowStartMs;

    /// <summary>
    /// From registration until <see cref="Welcome"/>, live frames wait: the welcome's state is read after the
    /// connection can hear changes, so a change is either in the welcome or in a frame that follows it.
    /// </summary>
    public void AwaitWelcome()
    {
        lock (_gate)
        {
            _beforeWelcome ??= [];
        }
    }

    /// <summary>
    /// Queues the welcome, then the live frames that waited for it. Live frames of the conversations about to be
    /// replayed are held from here until <see cref="Release"/>, so none overtakes its replay.
    /// </summary>
    public void Welcome(in Outgoing welcome, IEnumerable<string> replayedConversationIds)
    {
        lock (_gate)
        {
            var waiting = _beforeWelcome;
            _beforeWelcome = null;
            if (_closing || !EnqueueLocked(welcome))
            {
                return;
            }
            foreach (var id in replayedConversationIds)
            {
                _holds ??= new Dictionary<string, List<Outgoing>>(StringComparer.Ordinal);
                _holds.TryAdd(id, []);
            }
            foreach (var frame in waiting ?? [])
            {
                if (!EnqueueOrHoldLocked(frame, DrainStart.ThreadPool))
                {
                    return;
                }
            }
        }
    }

    private bool EnqueueOrHoldLocked(in Outgoing frame, DrainStart start)
    {
        if (_holds is not null && frame.ConversationId is not null && _holds.TryGetValue(frame.ConversationId, out var held))
        {
            held.Add(frame);
            return true;
        }
        return EnqueueLocked(frame, start);
    }

    /// <summary>Ends a replay: releases the held live frames that the client had or the replay already sent.</summary>
    public void Release(string conversationId, long replayedUpToSeq)
    {
        lock (_gate)
        {
            if (_holds is null || !_holds.Remove(conversationId, out var held))
            {
                return;
            }
            if (_holds.Count == 0)
            {
                _holds = null;
            }
            // The client has everything up to here (it said so, or the replay sent it): the queue drops live copies
            // of any of it, held ones and one announced again after a retried send alike.
            MarkSentLocked(conversationId, replayedUpToSeq);
            foreach (var frame in held)
            {
                EnqueueLocked(frame);
            }
        }
    }

    /// <summary>Notes that the client has the conversation up to <paramref name="seq"/>; never moves back.</summary>
    private void MarkSentLocked(string conversationId, long seq)
    {
        if (seq <= 0)
        {
            return;
        }
        _sentSeq ??= new Dictionary<string, long>(StringComparer.Ordinal);
        if (!_sentSeq.TryGetValue(conversationId, out var sent) || seq > sent)
        {
            _sentSeq[conversationId] = seq;
        }
    }

    /// <summary>Sends a close frame after whatever is already queued; nothing is queued after it.</summary>
    public void RequestClose(int code, string reason, long nowMs)
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }
            EnqueueLocked(Outgoing.Close(code, reason));
            _closing = true;
            CloseRequestedAtMs = nowMs;
        }
    }

    public void Abort()
    {
        lock (_gate)
        {
            _closing = true;
            _queue = null;
        }
        Socket.Abort();
    }

    private enum DrainStart
    {
        ThreadPool,
        Caller,
    }

    private bool EnqueueLocked(in Outgoing frame, DrainStart start = DrainStart.ThreadPool)
    {
        if (_queue is null)
        {
            _queue = SendQueuePool.Rent();
            _lastProgressMs = time.GetTimestampMs();
        }
        if (frame.IsMessage && frame.ConversationId is { } conversationId)
        {
            // A replay and the live copy of the same message, or a straggler between nodes: never twice, never backwards.
            _sentSeq ??= new Dictionary<string, long>(StringComparer.Ordinal);
            if (_sentSeq.TryGetValue(conversationId, out var sent) && frame.Seq <= sent)
            {
                return true;
            }
            _sentSeq[conversationId] = frame.Seq;
        }
        if (frame.CloseCode == 0 && IsTooSlow(frame.Utf8.Length))
        {
            KefuMetrics.SendQueueDrops.Add(1);
            _closing = true;
            _queue = null;
            Socket.Abort();
            return false;
        }
        _queue.Enqueue(frame);
        _queuedBytes += frame.Utf8.Length;
        if (!_draining)
        {
            _draining = true;
            if (start == DrainStart.Caller)
            {
                // The caller starts the drain once it has left the lock.
                _drainOnCaller = true;
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
        return true;
    }

    private bool IsTooSlow(int adding)
    {
        var frames = _queue!.Count + 1;
        var bytes = _queuedBytes + adding;
        if (frames <= budget.Frames && bytes <= budget.Bytes)
        {
            return false;
        }
        return frames > (long)budget.Frames * QueueBudget.HardFactor
            || bytes > (long)budget.Bytes * QueueBudget.HardFactor
            || time.GetTimestampMs() - _lastProgressMs > budget.StallMs;
    }

    void IThreadPoolWorkItem.Execute() => _ = DrainAsync();

    private async Task DrainAsync()
    {
        while (true)
        {
            Outgoing next;
            lock (_gate)
            {
                if (_queue is null || !_queue.TryDequeue(out next))
                {
                    if (_queue is not null)
                    {
                        SendQueuePool.Return(_queue);
                        _queue = null;
                    }
                    _queuedBytes = 0;
                    _draining = false;
                    return;
                }
                _queuedBytes -= next.Utf8.Length;
                _lastProgressMs = time.GetTimestampMs();
            }
            try
            {
                if (next.CloseCode != 0)
                {
                    await Socket.CloseOutputAsync((WebSocketCloseStatus)next.CloseCode, next.CloseReason, CancellationToken.None);
                }
                else
                {
                    await Socket.SendAsync(next.Utf8, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    KefuMetrics.FramesSent.Add(1);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException or InvalidOperationException)
            {
                Abort();
                lock (_gate)
                {
                    _draining = false;
                }
                return;
            }
        }
    }
}
