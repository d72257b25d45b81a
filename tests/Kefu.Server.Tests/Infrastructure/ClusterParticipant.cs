using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// A visitor or agent of a cluster test, behaving as the SDK does: one socket to some node; when that node
/// dies it reconnects to a live one, resumes every conversation it follows from the last seq it saw, and
/// retries unacked sends with the same clientMsgId. It records every <c>message</c> frame per conversation
/// in arrival order, and notes any frame that breaks the order promise (a seq not above the previous one).
/// </summary>
internal sealed class ClusterParticipant : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>One try's wait for a reply; a reply lost with a dying node is asked for again, up to <see cref="ReplyTimeout"/>.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);
    private readonly Func<ServerProcess> _liveNode;
    private readonly string _token;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource<JsonObject>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> _received = new(StringComparer.Ordinal);
    private readonly HashSet<string> _followed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _toldLastSeq = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly Channel<JsonObject> _conversationFrames = Channel.CreateUnbounded<JsonObject>();
    private readonly CancellationTokenSource _stopping = new();
    private ProtocolClient _client;
    private TaskCompletionSource _connected = NewSignal();
    private Task _pump = Task.CompletedTask;
    private int _rid;

    private ClusterParticipant(string userId, string token, Func<ServerProcess> liveNode, ProtocolClient client)
    {
        UserId = userId;
        _token = token;
        _liveNode = liveNode;
        _client = client;
        _connected.SetResult();
    }

    public string UserId { get; }

    /// <summary>How many times this participant moved to another node.</summary>
    public int Reconnections { get; private set; }

    /// <summary>Every <c>conversation</c> frame, in arrival order.</summary>
    public ChannelReader<JsonObject> ConversationFrames => _conversationFrames.Reader;

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>Connects to <paramref name="node"/>; <paramref name="liveNode"/> names a node to move to when it dies.</summary>
    public static async Task<ClusterParticipant> ConnectAsync(string userId, string token, ServerProcess node, Func<ServerProcess> liveNode)
    {
        ArgumentNullException.ThrowIfNull(node);
        var (client, _) = await ProtocolClient.HelloAsync(node.WebSocketUri, token);
        var participant = new ClusterParticipant(userId, token, liveNode, client);
        participant._pump = Task.Run(participant.PumpAsync);
        return participant;
    }

    /// <summary>Resumes this conversation after a reconnection (from the last seq seen).</summary>
    public void Follow(string conversationId)
    {
        lock (_gate)
        {
            _followed.Add(conversationId);
        }
    }

    /// <summary>The message frames of a conversation received so far, in arrival order.</summary>
    public IReadOnlyList<JsonObject> Received(string conversationId)
    {
        lock (_gate)
        {
            return _received.TryGetValue(conversationId, out var list) ? [.. list] : [];
        }
    }

    /// <summary>
    /// The highest <c>lastSeq</c> a <c>conversation</c> frame or welcome told of: a client that sees it above the
    /// last message it received knows of a gap and syncs (a message whose node died between its commit and its
    /// publication reaches the others only this way).
    /// </summary>
    public long ToldLastSeq(string conversationId)
    {
        lock (_gate)
        {
            return _toldLastSeq.GetValueOrDefault(conversationId);
        }
    }

    /// <summary>Sends a text until it is acked, across reconnections, always with the same clientMsgId.</summary>
    public async Task<JsonObject> SendTextAsync(string text, string? conversationId)
    {
        var clientMsgId = Guid.NewGuid().ToString("N");
        return await RequestAsync(rid => new { type = "send", rid, clientMsgId, conversationId, kind = "text", text }, "ack");
    }

    /// <summary>Every message of the conversation from the store, through <c>sync</c> pages.</summary>
    public async Task<List<JsonObject>> SyncAllAsync(string conversationId)
    {
        var all = new List<JsonObject>();
        while (true)
        {
            var after = all.Count == 0 ? 0 : (long)all[^1]["seq"]!;
            var page = await RequestAsync(rid => new { type = "sync", rid, conversationId, afterSeq = after, limit = 200 }, "messages");
            var items = page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            all.AddRange(items);
            if (items.Count == 0)
            {
                return all;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _client.DisposeAsync();
        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task<JsonObject> RequestAsync(Func<string, object> frame, string expectedType)
    {
        var deadline = DateTime.UtcNow + ReplyTimeout;
        while (true)
        {
            Task connected;
            lock (_gate)
            {
                connected = _connected.Task;
            }
            await connected.WaitAsync(Remaining(deadline));
            var rid = "p" + Interlocked.Increment(ref _rid);
            var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
            ProtocolClient client;
            lock (_gate)
            {
                if (!_connected.Task.IsCompleted)
                {
                    // The connection was lost between the wait and here: wait for the new one.
                    continue;
                }
                _pending[rid] = reply;
                client = _client;
            }
            try
            {
                await client.SendAsync(frame(rid));
                var answer = await reply.Task.WaitAsync(TimeSpan.FromTicks(Math.Min(AttemptTimeout.Ticks, Remaining(deadline).Ticks)));
                Assert.True(ProtocolClient.Type(answer) == expectedType, $"expected {expectedType}, got {answer.ToJsonString()}");
                return answer;
            }
            catch (Exception ex) when (ex is ConnectionLostException or System.Net.WebSockets.WebSocketException or OperationCanceledException
                or ObjectDisposedException or InvalidOperationException or TimeoutException && DateTime.UtcNow < deadline)
            {
                // The node died under the request (the socket may be gone before the pump noticed, or the reply
                // lost with it): the pump reconnects, and the retry carries the same ids, so a send is stored once.
                lock (_gate)
                {
                    _pending.Remove(rid);
                }
            }
        }
    }

    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task PumpAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            JsonObject frame;
            try
            {
                frame = await _client.WaitForAsync(_ => true, TimeSpan.FromMinutes(10));
            }
            catch (InvalidOperationException) when (!_stopping.IsCancellationRequested)
            {
                await ReconnectAsync();
                continue;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                return;
            }
            Handle(frame);
        }
    }

    private void Handle(JsonObject frame)
    {
        var type = ProtocolClient.Type(frame);
        lock (_gate)
        {
            if ((string?)frame["rid"] is { } rid && type is "ack" or "error" or "messages" && _pending.Remove(rid, out var reply))
            {
                reply.TrySetResult(frame);
                return;
            }
            if (type == "message")
            {
                var conversationId = (string)frame["conversationId"]!;
                var list = _received.TryGetValue(conversationId, out var l) ? l : _received[conversationId] = [];
                if (list.Count > 0 && (long)frame["seq"]! <= (long)list[^1]["seq"]!)
                {
                    _violations.Add($"{UserId} got seq {frame["seq"]} after {list[^1]["seq"]} in {conversationId}");
                }
                list.Add(frame);
                return;
            }
        }
        if (type == "conversation")
        {
            Told(frame);
            _conversationFrames.Writer.TryWrite(frame);
        }
    }

    private async Task ReconnectAsync()
    {
        List<TaskCompletionSource<JsonObject>> abandoned;
        lock (_gate)
        {
            _connected = NewSignal();
            abandoned = [.. _pending.Values];
            _pending.Clear();
        }
        foreach (var reply in abandoned)
        {
            reply.TrySetException(new ConnectionLostException());
        }
        await _client.DisposeAsync();
        var deadline = DateTime.UtcNow + ReplyTimeout;
        while (true)
        {
            object[] resume;
            lock (_gate)
            {
                resume = [.. _followed.Select(id => new { conversationId = id, afterSeq = _received.TryGetValue(id, out var l) && l.Count > 0 ? (long)l[^1]["seq"]! : 0L })];
            }
            try
            {
                var (client, welcome) = await ProtocolClient.HelloAsync(_liveNode().WebSocketUri, _token, resume);
                lock (_gate)
                {
                    _client = client;
                    Reconnections++;
                }
                // What changed while away (an assignment, a close) is in the welcome's conversation list.
                foreach (var conversation in welcome["conversations"]?.AsArray() ?? [])
                {
                    var snapshot = conversation!.DeepClone().AsObject();
                    Told(snapshot);
                    _conversationFrames.Writer.TryWrite(snapshot);
                }
                _connected.TrySetResult();
                return;
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or TimeoutException or InvalidOperationException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private void Told(JsonObject snapshot)
    {
        if ((string?)snapshot["conversationId"] is not { } id || (long?)snapshot["lastSeq"] is not { } lastSeq)
        {
            return;
        }
        lock (_gate)
        {
            if (lastSeq > _toldLastSeq.GetValueOrDefault(id))
            {
                _toldLastSeq[id] = lastSeq;
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class ConnectionLostException : Exception
    {
        public ConnectionLostException()
            : base("The connection was lost before the reply.")
        {
        }
    }
}
