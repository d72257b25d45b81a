using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task After_a_hard_kill_every_acked_message_is_stored_once_in_order_and_retries_land_once()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Limits__SendsPer10Seconds"] = "1000000" });
        var visitor = await Api.VisitorAsync(server.Http);
        var (client, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token);

        const int total = 400;
        var ids = Enumerable.Range(0, total).Select(i => $"crash-{i:D4}").ToArray();
        var acks = new ConcurrentDictionary<string, JsonObject>();
        // The first send starts the conversation; the rest are pipelined without waiting for acks.
        await client.SendTextAsync("crash-start", clientMsgId: "crash-start");
        var fiftyAcked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var ack = await client.WaitForAsync(f => ProtocolClient.Type(f) == "ack", TimeSpan.FromSeconds(30));
                    acks[(string)ack["clientMsgId"]!] = ack;
                    if (acks.Count >= 50)
                    {
                        fiftyAcked.TrySetResult();
                    }
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // The server died under us.
            }
        });
        var sending = Task.Run(async () =>
        {
            foreach (var id in ids)
            {
                try
                {
                    await client.SendAsync(new { type = "send", rid = id, clientMsgId = id, kind = "text", text = id });
                }
                catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or ObjectDisposedException or OperationCanceledException)
                {
                    return;
                }
            }
        });
        await fiftyAcked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        server.Kill();
        await Task.WhenAll(sending, collector).WaitAsync(TimeSpan.FromSeconds(60));
        await client.DisposeAsync();
        var ackedBeforeKill = acks.ToDictionary(p => p.Key, p => p.Value);
        Assert.NotEmpty(ackedBeforeKill);

        await server.StartAgainAsync();
        var (retry, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token);
        await using var retryClient = retry;
        foreach (var id in ids)
        {
            JsonObject ack;
            try
            {
                ack = await retry.SendTextAsync(id, clientMsgId: id);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"No ack for {id} after restart; server output:\n{server.Output}");
                throw;
            }
            if (ackedBeforeKill.TryGetValue(id, out var before))
            {
                // An acked message survived the kill with the very same identity.
                Assert.Equal((string?)before["msgId"], (string?)ack["msgId"]);
                Assert.Equal((long)before["seq"]!, (long)ack["seq"]!);
            }
        }

        var conversationId = (string)ackedBeforeKill.Values.First()["conversationId"]!;
        Assert.Equal(total + 1, Db.Scalar(server.DatabasePath, "SELECT COUNT(*) FROM messages WHERE conversation_id = $c", ("$c", conversationId)));
        Assert.Equal(total + 1, Db.Scalar(server.DatabasePath, "SELECT COUNT(DISTINCT client_msg_id) FROM messages WHERE conversation_id = $c", ("$c", conversationId)));
        Assert.Equal(total + 1, Db.Scalar(server.DatabasePath, "SELECT MAX(seq) FROM messages WHERE conversation_id = $c", ("$c", conversationId)));
        // Messages acked before the kill kept the order they were sent in.
        var ackedInSendOrder = ids.Where(ackedBeforeKill.ContainsKey).Select(id => (long)ackedBeforeKill[id]["seq"]!).ToList();
        Assert.Equal(ackedInSendOrder.Order(), ackedInSendOrder);
    }
}
