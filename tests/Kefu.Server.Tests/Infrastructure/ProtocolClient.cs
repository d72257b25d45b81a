using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// A protocol v1 client over a real WebSocket. Every frame received goes into a queue that tests wait on
/// with a bounded timeout; nothing is dropped, so tests can count exactly what arrived.
/// </summary>
internal sealed class ProtocolClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);
    private readonly WebSocket _socket;
    private readonly Channel<JsonObject> _frames = Channel.CreateUnbounded<JsonObject>();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly List<JsonObject> _backlog = [];
    private readonly Task _receiveLoop;
    private int _rid;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseDescription => _socket.CloseStatusDescription;
    public WebSocketState State => _socket.State;
    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProtocolClient(WebSocket socket)
    {
        _socket = socket;
        _receiveLoop = ReceiveLoopAsync();
    }

    public static async Task<ProtocolClient> ConnectAsync(Uri uri, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("kefu.v1");
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        using var cts = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await socket.ConnectAsync(uri, cts.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new ProtocolClient(socket);
    }

    /// <summary>Connects and says hello; returns the welcome frame.</summary>
    public static async Task<(ProtocolClient Client, JsonObject Welcome)> HelloAsync(Uri uri, string token, object? resume = null)
        => await SayHelloAsync(await ConnectAsync(uri), token, resume);

    /// <summary>Says hello on a socket that is already connected (an in-process test server's); returns the welcome frame.</summary>
    public static Task<(ProtocolClient Client, JsonObject Welcome)> HelloAsync(WebSocket connected, string token)
        => SayHelloAsync(new ProtocolClient(connected), token, null);

    private static async Task<(ProtocolClient Client, JsonObject Welcome)> SayHelloAsync(ProtocolClient client, string token, object? resume)
    {
        var rid = client.NextRid();
        await client.SendAsync(new { type = "hello", rid, token, resume, client = new { name = "tests", version = "1" } });
        var welcome = await client.WaitForAsync(f => Type(f) == "welcome");
        Assert.Equal(rid, (string?)welcome["rid"]);
        return (client, welcome);
    }

    public string NextRid() => "r" + Interlocked.Increment(ref _rid);

    public Task SendAsync(object frame) => SendRawAsync(JsonSerializer.Serialize(frame, Api.Json));

    public async Task SendRawAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            using var cts = new CancellationTokenSource(DefaultTimeout);
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a text message and waits for its ack (or fails on an error with the same rid).</summary>
    public async Task<JsonObject> SendTextAsync(string text, string? conversationId = null, string? clientMsgId = null)
    {
        var rid = NextRid();
        await SendAsync(new { type = "send", rid, clientMsgId = clientMsgId ?? Guid.NewGuid().ToString("N"), conversationId, kind = "text", text });
        var reply = await WaitForAsync(f => (string?)f["rid"] == rid && Type(f) is "ack" or "error");
        Assert.True(Type(reply) == "ack", "expected ack, got " + reply.ToJsonString());
        return reply;
    }

    /// <summary>
    /// Waits for the oldest frame that matches. Frames that do not match stay queued, in order, for later
    /// waits, so waiting for one reply never loses a frame that arrived meanwhile.
    /// </summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, TimeSpan? timeout = null)
    {
        var index = _backlog.FindIndex(f => match(f));
        if (index >= 0)
        {
            var found = _backlog[index];
            _backlog.RemoveAt(index);
            return found;
        }
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cts.Token);
                if (match(frame))
                {
                    return frame;
                }
                _backlog.Add(frame);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No matching frame in time.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The connection closed ({CloseStatus} {CloseDescription}) before a matching frame arrived.");
        }
    }

    /// <summary>Whether a frame that matches has arrived and not been taken by a wait.</summary>
    public bool HasQueued(Func<JsonObject, bool> match)
    {
        while (_frames.Reader.TryRead(out var frame))
        {
            _backlog.Add(frame);
        }
        return _backlog.Exists(f => match(f));
    }

    /// <summary>Drops queued frames that match (for frames a test does not care about).</summary>
    public void Discard(Func<JsonObject, bool> match) => _backlog.RemoveAll(f => match(f));

    /// <summary>Reads frames until the socket closes; returns the close status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        await Closed.Task.WaitAsync(timeout ?? DefaultTimeout);
        return CloseStatus;
    }

    public static string? Type(JsonObject frame) => (string?)frame["type"];

    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Gone already (an in-process test socket reports it as IOException).
            }
        }
        _socket.Abort();
        await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                var node = JsonNode.Parse(buffer.AsSpan(0, count));
                if (node is JsonObject frame)
                {
                    _frames.Writer.TryWrite(frame);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed or aborted.
        }
        finally
        {
            _frames.Writer.TryComplete();
            Closed.TrySetResult();
        }
    }
}
