using System.Diagnostics;
using System.Net;
using Kefu.LoadGen.Net;
using Kefu.LoadGen.Protocol;

namespace Kefu.LoadGen.Worker;

/// <summary>
/// One simulated visitor or agent on one WebSocket: sends tagged messages, checks what it receives, and
/// reconnects with <c>resume</c> like a real client when its connection drops.
/// </summary>
internal sealed class SimClient(WorkerContext context, string endpoint, bool isAgent, string token, IPEndPoint server, IPAddress? source) : IWsHandler
{
    private const int MaxResumeInHello = 400;
    private readonly Lock gate = new();
    private WsConnection? connection;
    private TaskCompletionSource? welcome;
    private Dictionary<int, PendingSend>? pending;
    private Dictionary<string, ConversationTrack>? conversations;
    private List<string>? assigned;
    private HashSet<string>? assignedSet;
    private RangeSet? acked;
    private int nextNumber;
    private int roundRobin;
    private volatile bool online;
    private int reconnecting;

    public string Endpoint { get; } = endpoint;
    public bool IsAgent { get; } = isAgent;
    public string? UserId { get; private set; }
    public bool Online => online;
    public int HeartbeatSeconds { get; private set; } = 30;

    public int PendingCount
    {
        get
        {
            lock (gate)
                return pending?.Count ?? 0;
        }
    }

    public int AssignedCount
    {
        get
        {
            lock (gate)
                return assigned?.Count ?? 0;
        }
    }

    public RangeSet? Acked => acked;

    /// <summary>Connects, says hello (resuming every known conversation) and waits for welcome.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        List<(string, long)> resume = [];
        List<(string, long)> syncLater = [];
        lock (gate)
        {
            welcome = ready;
            if (conversations is not null)
            {
                // hello must fit in one 64 KiB frame: resume the first conversations there, sync the rest after.
                foreach (var (id, track) in conversations)
                    (resume.Count < MaxResumeInHello ? resume : syncLater).Add((id, track.LastReceived));
            }
        }

        var ws = await WsConnection.ConnectAsync(server, source, "/ws", "kefu.v1", this, cancellationToken);
        connection = ws;
        await ws.SendTextAsync(OutboundFrames.Hello(token, resume), cancellationToken);
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

        lock (gate)
        {
            // Retry un-acked sends in order with their original clientMsgId; the server answers a stored one
            // with its original ack.
            if (pending is not null)
            {
                foreach (var number in pending.Keys.Order())
                    StartSend(ws, pending[number].Frame);
            }

            foreach (var (id, afterSeq) in syncLater)
                _ = SendQuietlyAsync(ws, OutboundFrames.Sync(id, afterSeq, 200), countAsMessage: false);

            online = true;
        }
    }

    /// <summary>Queues the next message; sends it now when online, else on reconnect.</summary>
    public void ScheduleSend(long intendedTicks)
    {
        lock (gate)
        {
            string? conversationId = null;
            if (IsAgent)
            {
                if (assigned is null || assigned.Count == 0)
                {
                    Interlocked.Increment(ref context.Counters.SkippedNoConversation);
                    return;
                }

                conversationId = assigned[roundRobin++ % assigned.Count];
            }

            var tag = new MessageTag(Endpoint, nextNumber++, intendedTicks);
            var frame = OutboundFrames.Send(tag.ClientMsgId, conversationId, tag.ToText(context.TextBytes));
            pending ??= [];
            pending[tag.Number] = new PendingSend(intendedTicks, frame);
            Interlocked.Increment(ref context.Counters.Scheduled);
            if (online && connection is { } ws)
            {
                context.Latency.RecordLateness(intendedTicks);
                StartSend(ws, frame);
            }
        }
    }

    public void SendPing()
    {
        if (online && connection is { } ws)
            _ = SendQuietlyAsync(ws, OutboundFrames.Ping(Stopwatch.GetTimestamp()), countAsMessage: false);
    }

    /// <summary>Drops the connection like a network failure; the client reconnects by itself.</summary>
    public void Drop()
    {
        online = false;
        connection?.Abort();
    }

    public void Close()
    {
        online = false;
        connection?.Abort();
    }

    public void OnText(ReadOnlySpan<byte> payload)
    {
        InboundFrame frame;
        try
        {
            frame = InboundParser.Parse(payload);
        }
        catch (System.Text.Json.JsonException ex)
        {
            context.Log($"{Endpoint}: unparsable frame: {ex.Message}");
            Interlocked.Increment(ref context.Counters.ErrorFrames);
            return;
        }

        switch (frame.Type)
        {
            case "welcome":
                OnWelcome(frame);
                break;
            case "ack":
                OnAck(frame);
                break;
            case "message":
                lock (gate)
                    OnMessage(frame, replayed: false);
                break;
            case "messages":
                OnMessages(frame);
                break;
            case "conversation":
                if (frame.ConversationId is not null)
                {
                    lock (gate)
                    {
                        if (IsAgent && frame.AssigneeId == UserId && frame.Status != "closed")
                            Assign(frame.ConversationId);
                        if (conversations?.TryGetValue(frame.ConversationId, out var track) == true)
                            HealTo(frame.ConversationId, track, frame.LastSeq);
                    }
                }

                break;
            case "error":
                OnError(frame);
                break;
            case "pong":
                Interlocked.Increment(ref context.Counters.Pongs);
                if (frame.Rid is ['p', ..] && long.TryParse(frame.Rid.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out var sent))
                    context.Latency.RecordPong(sent);
                break;
            default:
                break;
        }
    }

    public void OnClosed(WsConnection closed, Exception? error, int? closeCode)
    {
        if (!ReferenceEquals(closed, connection))
            return;
        online = false;
        if (context.Stopping)
            return;
        if (Stopwatch.GetTimestamp() - context.StormDropTicks > Stopwatch.Frequency * 2 || context.StormDropTicks == 0)
        {
            Interlocked.Increment(ref context.Counters.UnexpectedCloses);
            context.Log($"{Endpoint}: connection closed (code {closeCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, {error?.Message ?? "no error"})");
        }

        _ = ReconnectAsync();
    }

    private async Task ReconnectAsync()
    {
        if (Interlocked.Exchange(ref reconnecting, 1) != 0)
            return;
        try
        {
            var delay = TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250));
            for (var attempt = 0; attempt < 30 && !context.Stopping; attempt++)
            {
                await Task.Delay(delay);
                try
                {
                    await ConnectAsync(CancellationToken.None);
                    if (context.StormDropTicks != 0)
                        context.RecordResume(LatencyRecorder.MicrosSince(context.StormDropTicks));
                    return;
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or ObjectDisposedException)
                {
                    Interlocked.Increment(ref context.Counters.ConnectFailures);
                    connection?.Abort();
                    delay = TimeSpan.FromMilliseconds(Math.Min(5000, 250 << Math.Min(attempt, 5)) * (0.5 + Random.Shared.NextDouble()));
                }
            }

            context.Log($"{Endpoint}: gave up reconnecting");
        }
        finally
        {
            Volatile.Write(ref reconnecting, 0);
        }
    }

    private void OnWelcome(InboundFrame frame)
    {
        TaskCompletionSource? ready;
        lock (gate)
        {
            UserId = frame.UserId;
            if (frame.HeartbeatSeconds > 0)
                HeartbeatSeconds = frame.HeartbeatSeconds;
            if (IsAgent && frame.Items is not null)
            {
                foreach (var summary in frame.Items)
                {
                    if (summary.ConversationId is not null && summary.Status != "closed" && summary.AssigneeId == UserId)
                        Assign(summary.ConversationId);
                }
            }

            ready = welcome;
        }

        ready?.TrySetResult();
    }

    private void OnAck(InboundFrame frame)
    {
        if (!MessageTag.TryParseNumber(frame.ClientMsgId, out var number))
            return;
        lock (gate)
        {
            if (pending is null || !pending.Remove(number, out var send))
                return;
            (acked ??= new RangeSet()).Add(number);
            if (frame.ConversationId is not null)
                Track(frame.ConversationId).Covered.Add(frame.Seq);
            context.Latency.RecordAck(send.IntendedTicks);
        }

        Interlocked.Increment(ref context.Counters.Acked);
    }

    private void OnMessages(InboundFrame frame)
    {
        lock (gate)
        {
            // A sync answer may overlap what arrived live; only what is new counts.
            if (frame.Items is not null)
            {
                foreach (var item in frame.Items)
                {
                    if (item.ConversationId is null)
                        item.ConversationId = frame.ConversationId;
                    if (item.ConversationId is null || Track(item.ConversationId).Covered.Contains(item.Seq))
                        continue;
                    var track = Track(item.ConversationId);
                    track.Covered.Add(item.Seq);
                    if (item.SenderId is not null && item.SenderId == UserId)
                        continue;
                    track.LastReceived = Math.Max(track.LastReceived, item.Seq);
                    Interlocked.Increment(ref context.Counters.Replayed);
                    if (MessageTag.TryParse(item.Text, out var tag) && !context.Ledger.Add(tag.Endpoint, tag.Number))
                        Interlocked.Increment(ref context.Counters.DuplicateTag);
                }
            }

            if (frame.HasMore && frame.ConversationId is not null && connection is { } ws)
                _ = SendQuietlyAsync(ws, OutboundFrames.Sync(frame.ConversationId, Track(frame.ConversationId).LastReceived, 200), countAsMessage: false);
        }
    }

    // Called under the gate.
    private void OnMessage(InboundFrame frame, bool replayed)
    {
        if (frame.ConversationId is null)
            return;
        var track = Track(frame.ConversationId);
        if (frame.SenderId is not null && frame.SenderId == UserId)
        {
            track.Covered.Add(frame.Seq);
            HealTo(frame.ConversationId, track, frame.Seq);
            return;
        }

        if (frame.Seq <= track.LastReceived)
        {
            if (track.Covered.Contains(frame.Seq))
                Interlocked.Increment(ref context.Counters.DuplicateSeq);
            else
                Interlocked.Increment(ref context.Counters.ReorderedSeq);
            context.Log($"{Endpoint}: conversation {frame.ConversationId} got seq {frame.Seq} after {track.LastReceived}");
        }
        else
        {
            track.LastReceived = frame.Seq;
        }

        track.Covered.Add(frame.Seq);
        HealTo(frame.ConversationId, track, frame.Seq);
        if (IsAgent && frame.SenderType == "visitor")
            Assign(frame.ConversationId);
        Interlocked.Increment(ref replayed ? ref context.Counters.Replayed : ref context.Counters.Received);

        if (MessageTag.TryParse(frame.Text, out var tag))
        {
            if (context.Ledger.Add(tag.Endpoint, tag.Number))
                context.Latency.RecordDelivery(tag.IntendedTicks);
            else
                Interlocked.Increment(ref context.Counters.DuplicateTag);
        }
    }

    private void OnError(InboundFrame frame)
    {
        Interlocked.Increment(ref context.Counters.ErrorFrames);
        context.Log($"{Endpoint}: error {frame.Code} for {frame.Rid}: {frame.Message}");
        if (MessageTag.TryParseNumber(frame.Rid, out var number) && frame.Rid!.StartsWith(Endpoint + ".", StringComparison.Ordinal))
        {
            lock (gate)
            {
                if (pending?.Remove(number) == true)
                    Interlocked.Increment(ref context.Counters.SendErrors);
            }
        }
    }

    public (long Conversations, long Holes) CheckConversations()
    {
        lock (gate)
        {
            long holes = 0;
            if (conversations is null)
                return (0, 0);
            foreach (var track in conversations.Values)
                holes += track.Covered.Holes;
            return (conversations.Count, holes);
        }
    }

    private ConversationTrack Track(string conversationId)
    {
        conversations ??= new Dictionary<string, ConversationTrack>(StringComparer.Ordinal);
        if (!conversations.TryGetValue(conversationId, out var track))
            conversations[conversationId] = track = new ConversationTrack();
        return track;
    }

    // Called under the gate. A console loads the history of a conversation it is given (what was said before
    // the assignment reaches the agent only that way); so does the simulated agent. The answer may overlap live
    // messages, which OnMessages ignores.
    private void Assign(string conversationId)
    {
        assignedSet ??= new HashSet<string>(StringComparer.Ordinal);
        if (!assignedSet.Add(conversationId))
            return;
        (assigned ??= []).Add(conversationId);
        if (connection is { } ws)
            _ = SendQuietlyAsync(ws, OutboundFrames.Sync(conversationId, 0, 200), countAsMessage: false);
    }

    // Called under the gate. The protocol's rule 4, as the console and the widget follow it: a client that sees seq
    // jump (a live message past a missing one, or a snapshot's lastSeq past what it has) asks for what it missed.
    // One sync per jump; its answer fills the hole (OnMessages), and the server drops live copies it already paged.
    private void HealTo(string conversationId, ConversationTrack track, long lastSeq)
    {
        var covered = track.Covered;
        if (lastSeq <= track.HealRequestedTo || covered.RangeCount == 0)
            return;
        var afterSeq = covered.Ranges[0].End;
        if (afterSeq >= lastSeq)
            return;
        track.HealRequestedTo = lastSeq;
        Interlocked.Increment(ref context.Counters.GapSyncs);
        if (online && connection is { } ws)
            _ = SendQuietlyAsync(ws, OutboundFrames.Sync(conversationId, afterSeq, 200), countAsMessage: false);
    }

    private void StartSend(WsConnection ws, byte[] frame) => _ = SendQuietlyAsync(ws, frame, countAsMessage: true);

    private async Task SendQuietlyAsync(WsConnection ws, byte[] frame, bool countAsMessage)
    {
        try
        {
            await ws.SendTextAsync(frame, CancellationToken.None);
            if (countAsMessage)
                Interlocked.Increment(ref context.Counters.Sent);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            // The receive loop sees the drop and reconnects; the send stays pending and is retried.
        }
    }
}
