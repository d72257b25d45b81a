using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Kefu.Server.Realtime;

namespace Kefu.Server.Tests.Realtime;

/// <summary>What one connection's send queue lets through, over a real WebSocket on a loopback TCP pair.</summary>
public sealed class ClientConnectionTests
{
    private const string Conversation = "c_page";

    [Fact]
    public async Task A_live_message_already_sent_in_a_sync_page_is_not_sent_again()
    {
        await using var pair = await SocketPair.OpenAsync();
        var connection = new ClientConnection(1, pair.Server, null, "127.0.0.1", null, new QueueBudget(1000, 1 << 20, 10_000), TimeProvider.System);

        connection.Enqueue(Live(1));
        connection.EnqueuePage(new Outgoing(Encoding.UTF8.GetBytes("page:1-3")), Conversation, lastSeq: 3);
        connection.Enqueue(Live(2));
        connection.Enqueue(Live(3));
        connection.Enqueue(Live(4));

        var received = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count == 0 || received[^1] != "live:4")
        {
            received.Add(await pair.ReceiveAsync(timeout.Token));
        }
        Assert.Equal(["live:1", "page:1-3", "live:4"], received);
    }

    [Fact]
    public async Task A_page_read_backwards_does_not_stop_later_live_messages()
    {
        await using var pair = await SocketPair.OpenAsync();
        var connection = new ClientConnection(2, pair.Server, null, "127.0.0.1", null, new QueueBudget(1000, 1 << 20, 10_000), TimeProvider.System);

        connection.Enqueue(new Outgoing(Encoding.UTF8.GetBytes("page:before")));
        connection.Enqueue(Live(7));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal("page:before", await pair.ReceiveAsync(timeout.Token));
        Assert.Equal("live:7", await pair.ReceiveAsync(timeout.Token));
    }

    [Fact]
    public async Task Replies_sent_on_the_calling_thread_keep_their_place_among_queued_frames()
    {
        await using var pair = await SocketPair.OpenAsync();
        var connection = new ClientConnection(3, pair.Server, null, "127.0.0.1", null, new QueueBudget(1000, 1 << 20, 10_000), TimeProvider.System);

        var expected = new List<string>();
        for (var i = 1; i <= 50; i++)
        {
            connection.Enqueue(Live(i));
            expected.Add($"live:{i}");
            Assert.True(connection.Reply(new Outgoing(Encoding.UTF8.GetBytes($"ack:{i}"))));
            expected.Add($"ack:{i}");
        }

        var received = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count < expected.Count)
        {
            received.Add(await pair.ReceiveAsync(timeout.Token));
        }
        Assert.Equal(expected, received);
    }

    [Fact]
    public async Task Live_frames_that_arrive_before_the_welcome_follow_it_and_a_replayed_conversations_wait_for_its_replay()
    {
        await using var pair = await SocketPair.OpenAsync();
        var connection = new ClientConnection(4, pair.Server, null, "127.0.0.1", null, new QueueBudget(1000, 1 << 20, 10_000), TimeProvider.System);

        connection.AwaitWelcome();
        connection.Enqueue(new Outgoing(Encoding.UTF8.GetBytes("conversation:closed")));
        connection.Enqueue(Live(5));
        connection.Welcome(new Outgoing(Encoding.UTF8.GetBytes("welcome")), [Conversation]);
        connection.Enqueue(Live(6));
        connection.EnqueueReplay(Live(4));
        connection.EnqueueReplay(Live(5));
        connection.Release(Conversation, replayedUpToSeq: 5);

        var received = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count == 0 || received[^1] != "live:6")
        {
            received.Add(await pair.ReceiveAsync(timeout.Token));
        }
        Assert.Equal(["welcome", "conversation:closed", "live:4", "live:5", "live:6"], received);
    }

    private static Outgoing Live(long seq) => new(Encoding.UTF8.GetBytes($"live:{seq}"), Conversation, seq);

    private sealed class SocketPair : IAsyncDisposable
    {
        private readonly Socket _serverSocket;
        private readonly Socket _clientSocket;
        private readonly WebSocket _client;

        private SocketPair(Socket serverSocket, Socket clientSocket)
        {
            _serverSocket = serverSocket;
            _clientSocket = clientSocket;
            Server = WebSocket.CreateFromStream(new NetworkStream(serverSocket, ownsSocket: false), new WebSocketCreationOptions { IsServer = true });
            _client = WebSocket.CreateFromStream(new NetworkStream(clientSocket, ownsSocket: false), new WebSocketCreationOptions { IsServer = false });
        }

        public WebSocket Server { get; }

        public static async Task<SocketPair> OpenAsync()
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var accept = listener.AcceptAsync();
            await client.ConnectAsync(listener.LocalEndPoint!);
            return new SocketPair(await accept, client);
        }

        public async Task<string> ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[4096];
            var result = await _client.ReceiveAsync(buffer, cancellationToken);
            Assert.True(result.EndOfMessage);
            return Encoding.UTF8.GetString(buffer, 0, result.Count);
        }

        public ValueTask DisposeAsync()
        {
            Server.Dispose();
            _client.Dispose();
            _serverSocket.Dispose();
            _clientSocket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
