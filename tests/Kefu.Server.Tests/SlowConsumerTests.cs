using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

public sealed class SlowConsumerTests
{
    // 2,000 x 3.9 KB is about twice what the server's socket send buffer (4 MiB at most) and the 256 KiB queue hold.
    private const int Flood = 2000;

    [Fact]
    public async Task A_client_that_never_reads_does_not_delay_others_and_is_dropped_when_its_queue_overflows()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Limits__SendsPer10Seconds"] = "1000000",
            ["Kefu__Limits__SendQueueBytes"] = "262144",
            ["Kefu__Limits__SendQueueStallSeconds"] = "1",
            ["Kefu__Admin__MaxConcurrent"] = "100",
        });
        var (agent, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, await server.AdminTokenAsync());
        await using var agentClient = agent;

        // The slow visitor says hello and starts its conversation, then never reads again.
        var slowSession = await Api.VisitorAsync(server.Http);
        using var slow = new ClientWebSocket();
        slow.Options.AddSubProtocol("kefu.v1");
        // A small fixed receive buffer turns off the kernel's autotuning, so the backlog builds up on the server.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 8192 };
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        await slow.ConnectAsync(server.WebSocketUri, invoker, CancellationToken.None);
        await SendAsync(slow, new { type = "hello", rid = "h", token = slowSession.Token });
        await SendAsync(slow, new { type = "send", rid = "s", clientMsgId = "slow-1", kind = "text", text = "I will not read" });

        var fastSession = await Api.VisitorAsync(server.Http);
        var (fast, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, fastSession.Token);
        await using var fastClient = fast;
        var fastConversation = (string)(await fast.SendTextAsync("hello"))["conversationId"]!;

        var slowConversation = await agent.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "open" && (string?)f["conversationId"] != fastConversation);
        await agent.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "open" && (string?)f["conversationId"] == fastConversation);
        var slowId = (string)slowConversation["conversationId"]!;

        // Flood the slow visitor: far more than its socket buffers and its 256 KiB queue hold.
        var big = new string('x', 3900);
        for (var i = 0; i < Flood; i++)
        {
            await agent.SendAsync(new { type = "send", rid = "f" + i, clientMsgId = "flood-" + i, conversationId = slowId, kind = "text", text = big });
        }
        var lastFlood = await agent.WaitForAsync(f => (string?)f["rid"] == "f" + (Flood - 1), TimeSpan.FromSeconds(60));
        Assert.Equal("ack", ProtocolClient.Type(lastFlood));

        // The fast visitor still gets the agent's answer at once.
        await agent.SendAsync(new { type = "send", rid = "to-fast", clientMsgId = "to-fast", conversationId = fastConversation, kind = "text", text = "for you" });
        var answer = await fast.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["text"] == "for you", TimeSpan.FromSeconds(5));
        Assert.Equal(fastConversation, (string?)answer["conversationId"]);

        // Keep writing to the slow visitor: once its queue is over budget with no progress for a second, the
        // server drops it. Each write is acked; the loop is bounded.
        for (var i = 0; i < 40; i++)
        {
            var rid = "late-" + i;
            await agent.SendAsync(new { type = "send", rid, clientMsgId = rid, conversationId = slowId, kind = "text", text = big });
            await agent.WaitForAsync(f => (string?)f["rid"] == rid);
            await Task.Delay(100);
        }

        // The slow visitor was cut off: reading now ends in an abort long before all of them.
        var received = 0;
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var result = await slow.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (result.EndOfMessage)
                {
                    received++;
                }
            }
        }
        catch (WebSocketException)
        {
            // Aborted by the server: expected.
        }
        Assert.False(timeout.IsCancellationRequested, "the server kept the slow client connected");
        Assert.True(received < Flood, $"received {received} frames");
    }

    private static Task SendAsync(ClientWebSocket socket, object frame) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(frame)), WebSocketMessageType.Text, true, CancellationToken.None);
}
