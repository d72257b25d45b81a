using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

[Collection(SharedServerGroup.Name)]
public sealed class MessagingTests(SharedServer shared)
{
    private ServerProcess Server => shared.Server;

    [Fact]
    public async Task An_ack_means_the_message_is_already_in_the_database()
    {
        var visitor = await Api.VisitorAsync(Server.Http);
        var (client, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, visitor.Token);
        await using var _ = client;

        for (var i = 0; i < 20; i++)
        {
            var ack = await client.SendTextAsync("hello " + i);
            // Read through a separate connection at once: the row must already be committed.
            var stored = Db.Scalar(Server.DatabasePath, "SELECT COUNT(*) FROM messages WHERE msg_id = $id AND seq = $seq",
                ("$id", (string)ack["msgId"]!), ("$seq", (long)ack["seq"]!));
            Assert.Equal(1, stored);
        }
    }

    [Fact]
    public async Task A_repeated_send_returns_the_original_ack_and_stores_one_row()
    {
        var visitor = await Api.VisitorAsync(Server.Http);
        var (client, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, visitor.Token);
        await using var _ = client;

        var first = await client.SendTextAsync("only once", clientMsgId: "dup-1");
        var second = await client.SendTextAsync("only once", clientMsgId: "dup-1");
        var next = await client.SendTextAsync("after");

        Assert.Equal((string?)first["msgId"], (string?)second["msgId"]);
        Assert.Equal((long)first["seq"]!, (long)second["seq"]!);
        Assert.Equal((string?)first["createdAt"], (string?)second["createdAt"]);
        Assert.Equal((long)first["seq"]! + 1, (long)next["seq"]!);
        Assert.Equal(1, Db.Scalar(Server.DatabasePath, "SELECT COUNT(*) FROM messages WHERE sender_id = $v AND client_msg_id = 'dup-1'", ("$v", visitor.VisitorId)));
    }

    [Fact]
    public async Task A_repeated_send_announces_its_message_again_to_connections_that_lack_it_and_to_none_twice()
    {
        // A server of its own, with no agent online: nothing (such as an assignment) is appended behind the message.
        await using var server = await ServerProcess.StartAsync();
        var visitor = await Api.VisitorAsync(server.Http);
        var (sender, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token);
        await using var _ = sender;
        var first = await sender.SendTextAsync("hello", clientMsgId: "again-1");
        var conversationId = (string)first["conversationId"]!;
        var seq = (long)first["seq"]!;

        // One connection comes later and has nothing of the conversation; one resumes saying it has the message.
        var (late, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token);
        await using var __ = late;
        var (resumed, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token, new[] { new { conversationId, afterSeq = seq } });
        await using var ___ = resumed;

        // The retry of a send whose node died before publishing it: the message is still the latest.
        Assert.Equal(seq, (long)(await sender.SendTextAsync("hello", clientMsgId: "again-1"))["seq"]!);
        await sender.SendTextAsync("next");
        Assert.Equal(seq, (long)(await sender.SendTextAsync("hello", clientMsgId: "again-1"))["seq"]!);
        var last = (long)(await sender.SendTextAsync("last"))["seq"]!;

        var sent = await SeqsUntilAsync(sender, conversationId, last);
        var lateSeqs = await SeqsUntilAsync(late, conversationId, last);
        var resumedSeqs = await SeqsUntilAsync(resumed, conversationId, last);
        Assert.Equal(1, sent.Count(s => s == seq));
        Assert.Equal(seq, lateSeqs[0]);
        Assert.DoesNotContain(resumedSeqs, s => s <= seq);
        Assert.All(new[] { sent, lateSeqs, resumedSeqs }, seqs => Assert.Equal(seqs.Order(), seqs));
        Assert.All(new[] { sent, lateSeqs, resumedSeqs }, seqs => Assert.Equal(seqs.Distinct(), seqs));
    }

    /// <summary>The seqs of a conversation's message frames as they arrive, up to and including <paramref name="last"/>.</summary>
    private static async Task<List<long>> SeqsUntilAsync(ProtocolClient client, string conversationId, long last)
    {
        var seqs = new List<long>();
        while (seqs.Count == 0 || seqs[^1] < last)
        {
            var frame = await client.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["conversationId"] == conversationId);
            seqs.Add((long)frame["seq"]!);
        }
        return seqs;
    }

    [Fact]
    public async Task Ten_visitors_sending_a_hundred_messages_each_reach_the_agent_exactly_once_in_order()
    {
        // A dedicated agent so that other tests' conversations do not interleave.
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Limits__SendsPer10Seconds"] = "1000000",
            ["Kefu__Admin__MaxConcurrent"] = "100",
        });
        var admin = await server.AdminTokenAsync();
        var (agent, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, admin);
        await using var agentClient = agent;

        const int visitors = 10;
        const int perVisitor = 100;
        var acked = new System.Collections.Concurrent.ConcurrentDictionary<string, List<long>>();
        var senders = Enumerable.Range(0, visitors).Select(async v =>
        {
            var session = await Api.VisitorAsync(server.Http);
            var (client, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, session.Token);
            await using var _ = client;
            for (var i = 0; i < perVisitor; i++)
            {
                var ack = await client.SendTextAsync($"v{v} m{i}");
                acked.GetOrAdd((string)ack["conversationId"]!, _ => []).Add((long)ack["seq"]!);
            }
        }).ToList();
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(visitors, acked.Count);

        // The agent ends with every visitor message exactly once, each conversation gapless from seq 1.
        var view = new ConversationView(agent);
        await view.RunUntilAsync(v => v.Count(m => (string?)m["sender"]!["type"] == "visitor") >= visitors * perVisitor, TimeSpan.FromSeconds(60));
        Assert.Equal(visitors * perVisitor, view.Count(m => (string?)m["sender"]!["type"] == "visitor"));
        foreach (var (conversationId, seqs) in acked)
        {
            var seen = view.Messages[conversationId];
            Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i), seen.Keys);
            Assert.Empty(seqs.Except(seen.Keys));
        }
    }

    [Fact]
    public async Task A_client_that_reconnects_with_resume_gets_everything_it_missed_even_past_the_replay_cap()
    {
        var visitor = await Api.VisitorAsync(Server.Http);
        var (sender, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, visitor.Token);
        await using var senderClient = sender;
        var firstAck = await sender.SendTextAsync("first");
        var conversationId = (string)firstAck["conversationId"]!;

        // A second tab of the same visitor sees message 1, then drops off while 250 more arrive.
        var (reader, welcome) = await ProtocolClient.HelloAsync(Server.WebSocketUri, visitor.Token);
        var lastSeen = (long)welcome["conversations"]!.AsArray().Single(c => (string?)c!["conversationId"] == conversationId)!["lastSeq"]!;
        reader.Abort();
        await reader.DisposeAsync();
        for (var i = 0; i < 250; i++)
        {
            await sender.SendTextAsync("missed " + i);
        }
        var lastSeq = (long)(await sender.SendTextAsync("last"))["seq"]!;

        var (resumed, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, visitor.Token, new[] { new { conversationId, afterSeq = lastSeen } });
        await using var resumedClient = resumed;
        var seqs = new List<long>();
        var hasMore = false;
        while (!hasMore)
        {
            var frame = await resumed.WaitForAsync(f => ProtocolClient.Type(f) is "message" or "messages");
            if (ProtocolClient.Type(frame) == "messages")
            {
                hasMore = (bool)frame["hasMore"]!;
                Assert.Empty(frame["items"]!.AsArray());
                break;
            }
            seqs.Add((long)frame["seq"]!);
        }
        Assert.True(hasMore);
        Assert.Equal(200, seqs.Count);
        while (seqs[^1] < lastSeq)
        {
            var rid = resumed.NextRid();
            await resumed.SendAsync(new { type = "sync", rid, conversationId, afterSeq = seqs[^1], limit = 200 });
            var page = await resumed.WaitForAsync(f => (string?)f["rid"] == rid);
            Assert.Equal("messages", ProtocolClient.Type(page));
            seqs.AddRange(page["items"]!.AsArray().Select(m => (long)m!["seq"]!));
        }
        Assert.Equal(Enumerable.Range((int)lastSeen + 1, (int)(lastSeq - lastSeen)).Select(i => (long)i), seqs.Distinct());
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
    }

    [Fact]
    public async Task Sync_pages_backwards_for_history()
    {
        var visitor = await Api.VisitorAsync(Server.Http);
        var (client, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, visitor.Token);
        await using var _ = client;
        string conversationId = "";
        for (var i = 0; i < 30; i++)
        {
            conversationId = (string)(await client.SendTextAsync("m" + i))["conversationId"]!;
        }
        var rid = client.NextRid();
        await client.SendAsync(new { type = "sync", rid, conversationId, beforeSeq = 11, limit = 5 });
        var page = await client.WaitForAsync(f => (string?)f["rid"] == rid);
        Assert.Equal(new long[] { 6, 7, 8, 9, 10 }, page["items"]!.AsArray().Select(m => (long)m!["seq"]!));
        Assert.True((bool)page["hasMore"]!);
    }
}
